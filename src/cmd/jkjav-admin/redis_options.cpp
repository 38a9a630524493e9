#include "redis_options.hpp"

#include <cstdio>

namespace jkjav::cmd {

void RedisOptions::addTo(CLI::App& app) {
    urlOption = app.add_option("--redis-url", url, "redis://[[user]:password@]host[:port][/db]")
                    ->envname("REDIS_URL")
                    ->capture_default_str();
    hostOption =
        app.add_option("--redis-host", host, "Redis host when no URL is given (the original's REDISHOST)")
            ->envname("REDISHOST");
    app.add_option("--redis-port", port, "Redis port with --redis-host")
        ->envname("REDISPORT")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    app.add_option("--redis-password", password, "Redis password with --redis-host")
        ->envname("REDISPASSWORD");
    app.add_option("--sentinels", sentinels,
                   "Sentinels as host:port,host:port,...; set: the primary is found through them (the URL "
                   "then gives only password and database)")
        ->envname("REDIS_SENTINELS");
    app.add_option("--master-name", masterName, "The primary's name at the Sentinels")
        ->envname("REDIS_MASTER_NAME")
        ->capture_default_str();
    app.add_option("--redis-timeout-ms", timeoutMs, "Bound on connecting and on each Redis reply")
        ->envname("REDIS_TIMEOUT_MS")
        ->check(CLI::Range(10, 60'000))
        ->capture_default_str();
}

std::optional<redis::RedisEndpoint> RedisOptions::endpoint() const {
    std::optional<redis::RedisEndpoint> endpoint;
    if (urlOption->count() == 0 && hostOption->count() > 0) {
        endpoint.emplace();
        endpoint->host = host;
        endpoint->port = static_cast<std::uint16_t>(port);
        endpoint->password = password;
    } else {
        endpoint = redis::parseRedisUrl(url);
        if (!endpoint) {
            std::fprintf(stderr,
                         "jkjav-admin: --redis-url/REDIS_URL: '%s' is not a redis://host[:port][/db] URL\n",
                         url.c_str());
            return std::nullopt;
        }
    }
    if (auto problem = redis::useSentinels(*endpoint, sentinels, masterName)) {
        std::fprintf(stderr, "jkjav-admin: --sentinels/--master-name: %s\n", problem->c_str());
        return std::nullopt;
    }
    return endpoint;
}

}  // namespace jkjav::cmd
