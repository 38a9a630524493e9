// LookupFailures on Redis: one counter per id with an expiry, shared by every server instance.
#pragma once

#include <memory>

#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "app/ports/lookup_failures.hpp"

namespace jkjav::redis {

class RedisLookupFailures final : public app::LookupFailures {
  public:
    RedisLookupFailures(std::shared_ptr<RedisConnection> connection, RedisKeys keys);

    boost::asio::awaitable<std::optional<long long>> count(std::string_view personId) override;
    boost::asio::awaitable<void> record(std::string_view personId, std::chrono::seconds window,
                                        long long lockAt, std::chrono::seconds lockFor) override;

  private:
    std::shared_ptr<RedisConnection> connection_;
    RedisKeys keys_;
    RedisScript recordScript_;
};

}  // namespace jkjav::redis
