// jkjav-server's settings: flags, each with an environment variable, checked before anything starts.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "adapters/http/http_server.hpp"
#include "adapters/redis/redis_endpoint.hpp"

namespace jkjav::cmd {

struct ServerConfig {
    std::string bindAddress = "127.0.0.1";
    std::uint16_t port = 3000;
    redis::RedisEndpoint redis;
    std::string campaignFile = "data/campaign.json";
    unsigned threads = 1;
    std::chrono::milliseconds snapshotInterval{250};
    std::chrono::milliseconds redisTimeout{2000};
    http::HttpLimits limits;
    std::string logLevel = "info";
};

struct ExitNow {
    int code;  // 0 after --help, non-zero after a bad setting (already explained on stderr)
};

std::variant<ServerConfig, ExitNow> parseServerConfig(int argc, char** argv);

}  // namespace jkjav::cmd
