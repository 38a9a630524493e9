// Where Redis is: parsed from a redis:// URL or the original server's REDISHOST/REDISPORT variables,
// or, with Sentinels, wherever they say the primary of `masterName` is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jkjav::redis {

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
    friend bool operator==(const HostPort&, const HostPort&) = default;
};

inline constexpr std::string_view kDefaultMasterName = "jkjav";

struct RedisEndpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string username;
    std::string password;
    int database = 0;
    // Not empty: host and port above are ignored; the primary is asked of these Sentinels, in turn.
    std::vector<HostPort> sentinels;
    std::string masterName{kDefaultMasterName};
};

// redis://[[user]:password@]host[:port][/db]; nullopt for anything else.
std::optional<RedisEndpoint> parseRedisUrl(std::string_view url);

// REDIS_SENTINELS and REDIS_MASTER_NAME applied to `endpoint` (an empty list: nothing changes, the
// URL's host is used). What is wrong with them otherwise, naming the setting, for a start-up error.
std::optional<std::string> useSentinels(RedisEndpoint& endpoint, std::string_view sentinelList,
                                        std::string_view masterName);

}  // namespace jkjav::redis
