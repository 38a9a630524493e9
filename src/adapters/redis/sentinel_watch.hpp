// Sentinel's +switch-master announcements, followed for the whole process: one subscription, to one
// Sentinel at a time (the next one after a loss, with bounded backoff), and every RedisConnection
// following it told when our primary moved, so none waits out a backoff or a READONLY to find it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/supervision/supervised_loop.hpp"

namespace jkjav::redis {

struct SentinelWatchOptions {
    std::chrono::milliseconds connectTimeout{1000};
    std::chrono::milliseconds backoffInitial{50};
    std::chrono::milliseconds backoffMax{2000};
    // A PING this often; a subscription silent for two periods is dropped and made again elsewhere.
    std::chrono::milliseconds pingPeriod{1000};
};

class SentinelWatch : public std::enable_shared_from_this<SentinelWatch> {
  public:
    static std::shared_ptr<SentinelWatch> create(boost::asio::any_io_executor executor,
                                                 std::vector<HostPort> sentinels, std::string masterName,
                                                 SentinelWatchOptions options = {});
    // `connection` is told of every move of our primary while it lives. Safe from any thread.
    void follow(const std::shared_ptr<RedisConnection>& connection);
    // On the watch's executor. The watch and each subscription's keep-alive are restarted after a
    // throw as `supervision` says.
    void start(const supervision::Supervision& supervision = {});
    void stop();
    // Moves of our primary announced since start; safe from any thread.
    [[nodiscard]] std::uint64_t switchesSeen() const { return switches_.load(std::memory_order_relaxed); }

  private:
    SentinelWatch(boost::asio::any_io_executor executor, std::vector<HostPort> sentinels,
                  std::string masterName, SentinelWatchOptions options);
    boost::asio::awaitable<void> run(std::shared_ptr<SentinelWatch> self);
    void closeSubscription();
    // One subscription until it is lost; true when it was made (the backoff starts over).
    boost::asio::awaitable<bool> listen(const HostPort& sentinel);
    boost::asio::awaitable<void> keepAlive(std::shared_ptr<SentinelWatch> self, std::uint64_t generation);
    void announce(const HostPort& primary);

    boost::asio::any_io_executor executor_;
    std::vector<HostPort> sentinels_;
    std::string masterName_;
    SentinelWatchOptions options_;
    supervision::Supervision supervision_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer backoffTimer_;
    boost::asio::steady_timer pingTimer_;
    bool stopped_ = false;
    bool heard_ = false;            // something arrived since the last PING
    std::uint64_t generation_ = 0;  // one per subscription: an old keepAlive stops
    std::atomic<std::uint64_t> switches_{0};
    std::mutex followersMutex_;
    std::vector<std::weak_ptr<RedisConnection>> followers_;
};

}  // namespace jkjav::redis
