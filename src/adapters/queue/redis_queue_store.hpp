// QueueStore on Redis: join.lua, place.lua, admit.lua and record_join.lua, each one EVALSHA on this
// thread's connection; the draw read with one ZRANGE a page.
#pragma once

#include <memory>

#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "app/ports/queue_store.hpp"

namespace jkjav::queue {

class RedisQueueStore final : public app::QueueStore {
  public:
    RedisQueueStore(std::shared_ptr<redis::RedisConnection> connection, redis::RedisKeys keys,
                    const domain::QueueSettings& settings);

    boost::asio::awaitable<app::QueueJoinResult> join(std::string_view member, std::string_view personId,
                                                      double drawKey) override;
    boost::asio::awaitable<app::QueuePlaceResult> place(std::string_view member) override;
    boost::asio::awaitable<app::QueueJoinRecord> recordJoin(std::string_view member, std::int64_t joinedAtMs,
                                                            std::int64_t estimateSeconds) override;
    boost::asio::awaitable<app::AdmissionRound> admit() override;
    boost::asio::awaitable<app::QueueDrawPage> drawn(std::int64_t from, std::int64_t count) override;

  private:
    std::shared_ptr<redis::RedisConnection> connection_;
    redis::RedisKeys keys_;
    domain::QueueSettings settings_;
    std::string opensAt_;  // as the scripts' argument, formatted once
    redis::RedisScript joinScript_;
    redis::RedisScript placeScript_;
    redis::RedisScript admitScript_;
    redis::RedisScript recordJoinScript_;
};

}  // namespace jkjav::queue
