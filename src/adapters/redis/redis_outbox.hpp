// The outbox on a Redis stream read through a consumer group: several relays share the work, and
// entries a crashed relay left pending are claimed again after `claimIdle`.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "adapters/redis/replica_ack.hpp"
#include "app/ports/outbox.hpp"

namespace jkjav::redis {

struct OutboxOptions {
    std::string group = "relay";
    std::string consumer = "relay-1";  // stable across restarts, so a relay finds its own pending entries
    std::chrono::milliseconds claimIdle{30'000};
    std::chrono::milliseconds blockFor{500};  // must stay under the connection's command timeout
    ReplicaAck ack;  // confirmReplicated()'s WAIT (on this outbox's own connection, which it blocks)
};

class RedisOutbox final : public app::Outbox, public app::OutboxBacklog {
  public:
    RedisOutbox(std::shared_ptr<RedisConnection> connection, RedisKeys keys, OutboxOptions options = {});

    boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> nextBatch(
        std::size_t max, bool retryPending) override;
    boost::asio::awaitable<bool> acknowledge(std::span<const std::string> entryIds) override;
    boost::asio::awaitable<bool> confirmReplicated() override;
    boost::asio::awaitable<std::optional<long long>> backlog() override;
    boost::asio::awaitable<std::optional<long long>> oldestMillis() override;

  private:
    boost::asio::awaitable<bool> ensureGroup();
    boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> read(
        std::span<const std::string_view> command, bool isClaim);

    std::shared_ptr<RedisConnection> connection_;
    RedisKeys keys_;
    OutboxOptions options_;
    RedisScript acknowledgeScript_;
    bool groupReady_ = false;
    std::chrono::steady_clock::time_point lastClaim_{};
    std::uint64_t batchSession_ = 0;  // the connection's session when the last batch was read
};

}  // namespace jkjav::redis
