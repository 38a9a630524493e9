// Where Redis is: parsed from a redis:// URL or the original server's REDISHOST/REDISPORT variables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jkjav::redis {

struct RedisEndpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 6379;
    std::string username;
    std::string password;
    int database = 0;
};

// redis://[[user]:password@]host[:port][/db]; nullopt for anything else.
std::optional<RedisEndpoint> parseRedisUrl(std::string_view url);

}  // namespace jkjav::redis
