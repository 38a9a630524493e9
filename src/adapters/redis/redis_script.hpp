// A Lua script run by EVALSHA; on NOSCRIPT (Redis restarted or flushed) it loads itself and retries.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <span>
#include <string>
#include <string_view>

#include "adapters/redis/redis_connection.hpp"

namespace jkjav::redis {

class RedisScript {
  public:
    explicit RedisScript(std::string_view source) : source_(source) {}

    // keysAndArgs holds numKeys keys, then the arguments.
    boost::asio::awaitable<RedisResult> run(RedisConnection& connection, std::size_t numKeys,
                                            std::span<const std::string_view> keysAndArgs);

  private:
    boost::asio::awaitable<bool> load(RedisConnection& connection);

    std::string_view source_;
    std::string sha_;  // per instance, so per thread: no sharing, no locks
};

}  // namespace jkjav::redis
