// jkjav-admin's Redis settings: the same flags and variables as jkjav-server's, so an operator
// points both at one Redis the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "adapters/redis/redis_endpoint.hpp"

namespace jkjav::cmd {

struct RedisOptions {
    std::string url = "redis://127.0.0.1:6379";
    std::string host;  // the original's REDISHOST, used when no URL is given
    unsigned port = 6379;
    std::string password;
    unsigned timeoutMs = 2'000;
    std::string sentinels;  // REDIS_SENTINELS: set, the primary is found through them
    std::string masterName{redis::kDefaultMasterName};
    CLI::Option* urlOption = nullptr;
    CLI::Option* hostOption = nullptr;

    void addTo(CLI::App& app);
    // nullopt (after printing why) when the URL is not one, or the Sentinel settings are wrong.
    [[nodiscard]] std::optional<redis::RedisEndpoint> endpoint() const;
    [[nodiscard]] std::chrono::milliseconds timeout() const { return std::chrono::milliseconds(timeoutMs); }
};

}  // namespace jkjav::cmd
