#include "adapters/redis/redis_endpoint.hpp"

#include <boost/url/parse.hpp>
#include <charconv>

#include "adapters/redis/sentinel_replies.hpp"

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

std::optional<std::string> useSentinels(RedisEndpoint& endpoint, std::string_view sentinelList,
                                        std::string_view masterName) {
    if (!isValidMasterName(masterName)) {
        std::string why("REDIS_MASTER_NAME: '");
        why.append(masterName).append("' is not a Sentinel master name (letters, digits, '.', '-', '_')");
        return why;
    }
    endpoint.masterName = masterName;
    if (sentinelList.empty()) return std::nullopt;
    auto parsed = parseSentinelList(sentinelList);
    if (auto* problem = std::get_if<std::string>(&parsed)) return "REDIS_SENTINELS: " + *problem;
    endpoint.sentinels = std::get<std::vector<HostPort>>(std::move(parsed));
    return std::nullopt;
}

}  // namespace jkjav::redis
