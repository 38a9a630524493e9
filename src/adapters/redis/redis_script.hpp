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

    // For callers that pipeline other commands right behind the script (replica_ack.hpp): loads
    // it unless loaded (false: Redis did not answer); then its sha for EVALSHA, and forget()
    // after a NOSCRIPT answer, so the next prepare() loads it again.
    boost::asio::awaitable<bool> prepare(RedisConnection& connection);
    [[nodiscard]] std::string_view sha() const { return sha_; }
    void forget() { sha_.clear(); }
    static bool isNoScript(const RedisResult& result);

  private:
    boost::asio::awaitable<bool> load(RedisConnection& connection);

    std::string_view source_;
    std::string sha_;  // per instance, so per thread: no sharing, no locks
};

}  // namespace jkjav::redis
