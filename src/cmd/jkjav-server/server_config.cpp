#include "server_config.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <thread>

#include "jkjav_version.hpp"

namespace jkjav::cmd {

std::variant<ServerConfig, ExitNow> parseServerConfig(int argc, char** argv) {
    ServerConfig config;
    config.threads = std::max(1u, std::thread::hardware_concurrency());
    std::string redisUrl = "redis://127.0.0.1:6379";
    std::string redisHost;
    unsigned redisPort = 6379;
    std::string redisPassword;
    unsigned snapshotMs = 250;
    unsigned readTimeoutMs = 10'000;
    unsigned idleTimeoutMs = 60'000;
    unsigned firstByteTimeoutMs = 5'000;
    unsigned headerTimeoutMs = 5'000;
    unsigned drainSeconds = 10;
    unsigned drainQuietMs = 3'000;
    unsigned redisTimeoutMs = 2'000;

    CLI::App app{"jkjav-server: vaccination-slot availability and bookings on Redis"};
    app.option_defaults()->always_capture_default();
    app.set_version_flag("--version", std::string("jkjav-server ") + kVersion);
    app.add_option("--bind", config.bindAddress, "Address to listen on")->envname("BIND_ADDRESS");
    app.add_option("--port", config.port, "TCP port (0: any free port)")->envname("PORT");
    app.add_option("--port-file", config.portFile,
                   "Once listening, write the bound port here (temporary file + rename)")
        ->envname("PORT_FILE");
    auto* urlOption = app.add_option("--redis-url", redisUrl, "redis://[[user]:password@]host[:port][/db]")
                          ->envname("REDIS_URL");
    auto* hostOption = app.add_option("--redis-host", redisHost,
                                      "Redis host, when no URL is given (the "
                                      "original server's REDISHOST)")
                           ->envname("REDISHOST");
    app.add_option("--redis-port", redisPort, "Redis port with --redis-host")
        ->envname("REDISPORT")
        ->check(CLI::Range(1, 65535));
    app.add_option("--redis-password", redisPassword, "Redis password with --redis-host")
        ->envname("REDISPASSWORD");
    std::string redisSentinels;
    std::string redisMasterName(redis::kDefaultMasterName);
    app.add_option("--redis-sentinels", redisSentinels,
                   "Sentinels as host:port,host:port,...; set: the primary is found through them (REDIS_URL "
                   "then gives only password and database)")
        ->envname("REDIS_SENTINELS");
    app.add_option("--redis-master-name", redisMasterName, "The primary's name at the Sentinels")
        ->envname("REDIS_MASTER_NAME");
    app.add_option("--redis-timeout-ms", redisTimeoutMs, "A Redis reply later than this drops the connection")
        ->envname("REDIS_TIMEOUT_MS")
        ->check(CLI::Range(10, 60'000));
    int minReplicas = -1;  // not given: from REDIS_SENTINELS, below
    app.add_option("--redis-min-replicas", minReplicas,
                   "Replicas that must hold a booking or cancellation (WAIT) before it is answered; "
                   "otherwise 503 UNCONFIRMED (default: 1 with REDIS_SENTINELS, else 0: no WAIT)")
        ->envname("REDIS_MIN_REPLICAS")
        ->check(CLI::Range(0, 100));
    unsigned waitTimeoutMs = 500;
    app.add_option("--redis-wait-timeout-ms", waitTimeoutMs,
                   "How long a WAIT for REDIS_MIN_REPLICAS replicas may take")
        ->envname("REDIS_WAIT_TIMEOUT_MS")
        ->check(CLI::Range(1, 60'000));  // never 0: WAIT with timeout 0 waits forever
    unsigned sentinelPollMs = 200;
    app.add_option("--sentinel-poll-ms", sentinelPollMs,
                   "With REDIS_SENTINELS: how often every Sentinel is asked which replicas are alive")
        ->envname("SENTINEL_POLL_MS")
        ->check(CLI::Range(10, 10'000));
    unsigned sentinelLeaseMs = 1000;
    app.add_option("--sentinel-lease-ms", sentinelLeaseMs,
                   "With REDIS_SENTINELS: how long a Sentinel majority's answer is used; a server that hears "
                   "none for longer stops writing (keep it below the Sentinels' down-after-milliseconds plus "
                   "a failover)")
        ->envname("SENTINEL_LEASE_MS")
        ->check(CLI::Range(10, 60'000));
    app.add_option("--booking-batch-max", config.bookingBatchMax,
                   "Bookings arriving while a thread's booking call is in Redis go together in its next "
                   "call, at most this many (1: each booking is its own call)")
        ->envname("BOOKING_BATCH_MAX")
        ->check(CLI::Range(1, 1000));
    app.add_option("--campaign-file", config.campaignFile, "Campaign JSON file")->envname("CAMPAIGN_FILE");
    app.add_option("--web-root", config.webRoot,
                   "Directory of the built page and docs (`make build`); default: web/ beside bin/")
        ->envname("WEB_ROOT");
    app.add_option("--threads", config.threads,
                   "Worker threads, each with its own acceptor and Redis connection")
        ->envname("THREADS")
        ->check(CLI::Range(1, 256));
    app.add_option("--snapshot-ms", snapshotMs, "Availability refresh interval")
        ->envname("SNAPSHOT_MS")
        ->check(CLI::Range(10, 60'000));
    app.add_option("--read-timeout-ms", readTimeoutMs, "Time allowed to send one whole request")
        ->envname("READ_TIMEOUT_MS")
        ->check(CLI::Range(100, 600'000));
    app.add_option("--idle-timeout-ms", idleTimeoutMs, "Keep-alive connections idle longer are closed")
        ->envname("IDLE_TIMEOUT_MS")
        ->check(CLI::Range(100, 3'600'000));
    app.add_option("--first-byte-timeout-ms", firstByteTimeoutMs,
                   "A new connection that sends nothing for this long is closed")
        ->envname("FIRST_BYTE_TIMEOUT_MS")
        ->check(CLI::Range(100, 600'000));
    app.add_option("--header-timeout-ms", headerTimeoutMs,
                   "Time allowed from a request's first byte to the end of its head")
        ->envname("HEADER_TIMEOUT_MS")
        ->check(CLI::Range(100, 600'000));
    app.add_option(
           "--max-connections", config.maxConnections,
           "Connections served at once; more are answered 503 and closed (0: from the open-file limit)")
        ->envname("MAX_CONNECTIONS");
    app.add_option("--drain-seconds", drainSeconds,
                   "On SIGTERM, how long requests on open connections are still answered")
        ->envname("DRAIN_SECONDS")
        ->check(CLI::Range(0, 600));
    app.add_option("--drain-quiet-ms", drainQuietMs,
                   "Draining, a connection with no request for this long is closed; longer than a load "
                   "balancer takes to stop sending here once /readyz says 503")
        ->envname("DRAIN_QUIET_MS")
        ->check(CLI::Range(0, 600'000));
    std::string trustedProxies;
    app.add_option("--trusted-proxies", trustedProxies,
                   "Proxies (IPs, CIDRs, comma-separated) whose X-Forwarded-For names the client")
        ->envname("TRUSTED_PROXIES");
    app.add_option("--rate-limit-bookings-per-ip", config.rateLimits.bookingsPerSecond,
                   "POST /booking per client IP per second, burst 2x (0: no limit)")
        ->envname("RATE_LIMIT_BOOKINGS_PER_IP")
        ->check(CLI::Range(0.0, 1e6));
    app.add_option("--rate-limit-lookups-per-ip", config.rateLimits.lookupsPerSecond,
                   "GET/HEAD/DELETE /booking/{id} and /waitlist/{id} per client IP per second, burst 2x (0: "
                   "no limit)")
        ->envname("RATE_LIMIT_LOOKUPS_PER_IP")
        ->check(CLI::Range(0.0, 1e6));
    app.add_option("--lookup-failure-limit", config.lookupFailureLimit,
                   "Wrong phone numbers for one id in 15 min that lock its lookups for 15 min (0: never)")
        ->envname("LOOKUP_FAILURE_LIMIT")
        ->check(CLI::Range(0, 1'000'000));
    app.add_option("--identity-jwks-file", config.identityJwksFile,
                   "The identity provider's JWKS (RS256/ES256 keys): booking and joining then need a "
                   "bearer token for the person (empty: no token asked for)")
        ->envname("IDENTITY_JWKS_FILE");
    app.add_option("--identity-public-key-file", config.identityPublicKeyFile,
                   "Instead of a JWKS: the provider's one PEM public key (RSA or EC P-256)")
        ->envname("IDENTITY_PUBLIC_KEY_FILE");
    app.add_option("--identity-issuer", config.identityIssuer, "The tokens' iss, exactly (with a key)")
        ->envname("IDENTITY_ISSUER");
    app.add_option("--identity-audience", config.identityAudience,
                   "This service's name in the tokens' aud (with a key)")
        ->envname("IDENTITY_AUDIENCE");
    app.add_option("--log-level", config.logLevel,
                   "trace, debug (adds a line per request), info, warn, error, critical")
        ->envname("LOG_LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical"}));
    std::string logFormat = "text";
    app.add_option("--log-format", logFormat, "text (for people) or json (a JSON object a line)")
        ->envname("LOG_FORMAT")
        ->check(CLI::IsMember({"text", "json"}));

    auto* brokersOption = app.add_option("--kafka-brokers", config.kafkaBrokers,
                                         "Kafka/Redpanda bootstrap servers; empty: no relay")
                              ->envname("KAFKA_BROKERS");
    std::string brokerUrl;
    app.add_option("--broker-url", brokerUrl, "The original server's name for --kafka-brokers")
        ->envname("BROKER_URL");
    app.add_option("--kafka-topic", config.kafkaTopic, "Topic for booking events")->envname("KAFKA_TOPIC");
    unsigned deliveryTimeoutMs = 10'000;
    app.add_option("--kafka-delivery-timeout-ms", deliveryTimeoutMs,
                   "An event not confirmed by then is retried")
        ->envname("KAFKA_DELIVERY_TIMEOUT_MS")
        ->check(CLI::Range(100, 600'000));
    unsigned rebootstrapMs = 30'000;
    app.add_option("--kafka-rebootstrap-ms", rebootstrapMs,
                   "Events waiting and none confirmed this long: a new producer bootstraps again (0: never)")
        ->envname("KAFKA_REBOOTSTRAP_MS")
        ->check(CLI::Range(0, 3'600'000));
    app.add_option("--relay-consumer", config.relayConsumer, "This relay's name in the consumer group")
        ->envname("RELAY_CONSUMER");
    app.add_option("--queue-secret", config.queueSecret,
                   "Key of the waiting room's signed tickets (at least 32 bytes; the same on every server); "
                   "required when the campaign file has a queue section. Prefer the environment variable.")
        ->envname("QUEUE_SECRET");
    unsigned claimIdleMs = 30'000;
    app.add_option("--relay-claim-idle-ms", claimIdleMs,
                   "Events another relay left unacknowledged this long are taken over")
        ->envname("RELAY_CLAIM_IDLE_MS")
        ->check(CLI::Range(100, 3'600'000));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return ExitNow{app.exit(e)};
    }

    if (urlOption->count() == 0 && hostOption->count() > 0) {
        config.redis.host = redisHost;
        config.redis.port = static_cast<std::uint16_t>(redisPort);
        config.redis.password = redisPassword;
    } else if (auto endpoint = redis::parseRedisUrl(redisUrl)) {
        config.redis = *endpoint;
    } else {
        std::fprintf(stderr, "--redis-url/REDIS_URL: '%s' is not a redis://host[:port][/db] URL\n",
                     redisUrl.c_str());
        return ExitNow{2};
    }
    if (auto problem = redis::useSentinels(config.redis, redisSentinels, redisMasterName)) {
        std::fprintf(stderr, "%s\n", problem->c_str());
        return ExitNow{2};
    }
    auto proxies = http::TrustedProxies::parse(trustedProxies);
    if (auto* problem = std::get_if<std::string>(&proxies)) {
        std::fprintf(stderr, "--trusted-proxies/TRUSTED_PROXIES: %s\n", problem->c_str());
        return ExitNow{2};
    }
    config.trustedProxies = std::get<http::TrustedProxies>(std::move(proxies));
    if (!config.identityJwksFile.empty() && !config.identityPublicKeyFile.empty()) {
        std::fprintf(stderr,
                     "--identity-jwks-file/IDENTITY_JWKS_FILE and --identity-public-key-file/"
                     "IDENTITY_PUBLIC_KEY_FILE: set one key source, not both\n");
        return ExitNow{2};
    }
    if ((!config.identityJwksFile.empty() || !config.identityPublicKeyFile.empty()) &&
        (config.identityIssuer.empty() || config.identityAudience.empty())) {
        std::fprintf(stderr,
                     "IDENTITY_ISSUER and IDENTITY_AUDIENCE are required with an identity key: a token is "
                     "only trusted for the issuer and the audience named\n");
        return ExitNow{2};
    }
    if (brokersOption->count() == 0 && !brokerUrl.empty()) config.kafkaBrokers = brokerUrl;
    config.kafkaDeliveryTimeout = std::chrono::milliseconds(deliveryTimeoutMs);
    config.kafkaRebootstrap = std::chrono::milliseconds(rebootstrapMs);
    config.relayClaimIdle = std::chrono::milliseconds(claimIdleMs);
    config.snapshotInterval = std::chrono::milliseconds(snapshotMs);
    config.redisTimeout = std::chrono::milliseconds(redisTimeoutMs);
    config.limits.readTimeout = std::chrono::milliseconds(readTimeoutMs);
    config.limits.idleTimeout = std::chrono::milliseconds(idleTimeoutMs);
    config.limits.firstByteTimeout = std::chrono::milliseconds(firstByteTimeoutMs);
    config.limits.headerTimeout = std::chrono::milliseconds(headerTimeoutMs);
    config.drainTimeout = std::chrono::seconds(drainSeconds);
    config.limits.drainQuiet = std::chrono::milliseconds(drainQuietMs);
    config.logFormat = *logging::parseLogFormat(logFormat);  // IsMember above let only these through
    // REDIS_MIN_REPLICAS's default: with Sentinels (from the env or --redis-sentinels) there is a
    // replica to wait for.
    config.replicaAck = redis::ReplicaAck{
        .replicas = minReplicas >= 0 ? minReplicas : (config.redis.sentinels.empty() ? 0 : 1),
        .timeout = std::chrono::milliseconds(waitTimeoutMs),
        .lease = nullptr};
    config.ackQuorum = redis::AckQuorumOptions{.pollPeriod = std::chrono::milliseconds(sentinelPollMs),
                                               .lease = std::chrono::milliseconds(sentinelLeaseMs),
                                               .floor = config.replicaAck.replicas};
    if (config.ackQuorum.lease <= config.ackQuorum.pollPeriod) {
        std::fprintf(stderr,
                     "SENTINEL_LEASE_MS (%u) must be longer than SENTINEL_POLL_MS (%u): every verdict would "
                     "end before the next one\n",
                     sentinelLeaseMs, sentinelPollMs);
        return ExitNow{2};
    }
    config.effectiveSettings = effectiveSettings(app);
    for (auto& setting : config.effectiveSettings) {
        if (setting.name == "REDIS_MIN_REPLICAS") setting.value = std::to_string(config.replicaAck.replicas);
    }
    return config;
}

}  // namespace jkjav::cmd
