// SlotCounters on Redis: all counters in one hash beside the campaign marker, read together by
// read.lua and created only by seed.lua.
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

    boost::asio::awaitable<std::optional<app::CounterRead>> readAll() override;
    boost::asio::awaitable<app::SeedResult> seed(const domain::Campaign& campaign,
                                                 const app::SeedRequest& request) override;

  private:
    std::shared_ptr<RedisConnection> connection_;
    RedisKeys keys_;
    RedisScript readScript_;
    RedisScript seedScript_;
};

}  // namespace jkjav::redis
