// SlotCounters on Redis: all counters live in one hash, read with one HGETALL.
#pragma once

#include <memory>

#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "app/ports/slot_counters.hpp"

namespace jkjav::redis {

class RedisSlotCounters final : public app::SlotCounters {
  public:
    RedisSlotCounters(std::shared_ptr<RedisConnection> connection, RedisKeys keys);

    boost::asio::awaitable<bool> seedMissing(const domain::Campaign& campaign) override;
    boost::asio::awaitable<std::optional<app::CounterTable>> readAll() override;

  private:
    std::shared_ptr<RedisConnection> connection_;
    RedisKeys keys_;
    RedisScript seedScript_;
};

}  // namespace jkjav::redis
