// jkjav-server's settings: flags, each with an environment variable, checked before anything starts.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "adapters/http/client_rate_limits.hpp"
#include "adapters/http/http_server.hpp"
#include "adapters/logging/log_format.hpp"
#include "adapters/redis/ack_quorum_watch.hpp"
#include "adapters/redis/booking_batcher.hpp"
#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/replica_ack.hpp"
#include "cmd/common/effective_settings.hpp"

namespace jkjav::cmd {

struct ServerConfig {
    std::string bindAddress = "127.0.0.1";
    std::uint16_t port = 3000;
    std::string portFile;  // once listening, the bound port is written here (empty: nowhere)
    redis::RedisEndpoint redis;
    std::string campaignFile = "data/campaign.json";
    std::string webRoot;  // the built page and docs; empty: web/ beside the binary's bin/ (web_root.hpp)
    unsigned threads = 1;
    std::chrono::milliseconds snapshotInterval{250};
    std::chrono::milliseconds redisTimeout{2000};
    // Acknowledged means replicated (adapters/redis/replica_ack.hpp): REDIS_MIN_REPLICAS replicas
    // must hold a booking or cancellation before it is answered, within REDIS_WAIT_TIMEOUT_MS.
    redis::ReplicaAck replicaAck;
    // With Sentinels and REDIS_MIN_REPLICAS > 0: the count is every replica a Sentinel majority holds
    // alive (adapters/redis/ack_quorum.hpp), asked every SENTINEL_POLL_MS, used for SENTINEL_LEASE_MS.
    redis::AckQuorumOptions ackQuorum;
    // The most bookings one Redis call carries (adapters/redis/booking_batcher.hpp); 1: no batching.
    std::size_t bookingBatchMax = redis::kDefaultBookingBatchMax;
    http::HttpLimits limits;
    std::size_t maxConnections = 0;  // 0: derived from the open-file limit (main.cpp)
    std::chrono::seconds drainTimeout{10};
    // Abuse limits: per client IP (behind TRUSTED_PROXIES, from X-Forwarded-For), per identity.
    http::TrustedProxies trustedProxies;
    http::RateLimitSettings rateLimits{.bookingsPerSecond = 0, .lookupsPerSecond = 5};
    long long lookupFailureLimit = 5;
    // Identity provider (empty key files: no bearer token asked for). At most one key source; with
    // one, issuer and audience are required (checked here).
    std::string identityJwksFile;
    std::string identityPublicKeyFile;
    std::string identityIssuer;
    std::string identityAudience;
    // HMAC-SHA256 key of the waiting room's tickets; required (>= 32 bytes) for a campaign with a queue.
    std::string queueSecret;
    std::string logLevel = "info";
    logging::LogFormat logFormat = logging::LogFormat::kText;

    // Events (empty kafkaBrokers: no relay; events wait in the outbox).
    std::string kafkaBrokers;
    std::string kafkaTopic = "booking-slot";
    std::chrono::milliseconds kafkaDeliveryTimeout{10'000};
    std::chrono::milliseconds kafkaRebootstrap{30'000};  // 0: never
    std::string relayConsumer;                           // default: host name and port
    std::chrono::milliseconds relayClaimIdle{30'000};

    // Every setting as given or defaulted, secrets masked: logged once at start.
    std::vector<Setting> effectiveSettings;
};

struct ExitNow {
    int code;  // 0 after --help, non-zero after a bad setting (already explained on stderr)
};

std::variant<ServerConfig, ExitNow> parseServerConfig(int argc, char** argv);

}  // namespace jkjav::cmd
