#include "adapters/redis/redis_endpoint.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

namespace jkjav::redis {

std::optional<RedisEndpoint> parseRedisUrl(std::string_view text) {
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed || parsed->scheme() != "redis" || parsed->host().empty()) return std::nullopt;
    RedisEndpoint endpoint;
    endpoint.host = parsed->host();
    if (parsed->has_port()) {
        const auto port = parsed->port_number();
        if (port == 0) return std::nullopt;
        endpoint.port = port;
    }
    if (parsed->has_userinfo()) {
        endpoint.username = parsed->user();
        endpoint.password = parsed->password();
    }
    std::string_view path = parsed->encoded_path();
    if (!path.empty() && path != "/") {
        path.remove_prefix(1);
        int db = 0;
        const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), db);
        if (ec != std::errc() || end != path.data() + path.size() || db < 0) return std::nullopt;
        endpoint.database = db;
    }
    if (parsed->has_query() || parsed->has_fragment()) return std::nullopt;
    return endpoint;
}

}  // namespace jkjav::redis
