// The outbox relay of jkjav-server: its own thread, io_context and Redis connection (XREADGROUP
// BLOCK must not stall the request path), publishing to Kafka.
#pragma once

#include <cstdint>
#include <memory>
#include <thread>

#include "adapters/redis/sentinel_watch.hpp"
#include "server_config.hpp"

namespace jkjav::cmd {

class EventRelay {
  public:
    // Returns nullptr (after logging why) when the producer cannot be created. `sentinelWatch`
    // (may be null) moves the relay's connection too when the primary moves.
    static std::unique_ptr<EventRelay> start(const ServerConfig& config,
                                             redis::SentinelWatch* sentinelWatch = nullptr);
    ~EventRelay();  // stops the relay and joins its thread
    // Events delivered to Kafka since start; safe from any thread.
    [[nodiscard]] std::uint64_t deliveredTotal() const;
    // Batches held back because too few replicas held them (REDIS_MIN_REPLICAS); safe from any thread.
    [[nodiscard]] std::uint64_t unreplicatedTotal() const;

  private:
    struct Parts;
    explicit EventRelay(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> parts_;
    std::thread thread_;
};

}  // namespace jkjav::cmd
