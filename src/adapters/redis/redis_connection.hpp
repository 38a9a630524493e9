// One pipelined Redis connection owned by one io_context thread: many coroutines share it, their
// commands written back to back and answered in order. Reconnects by itself with capped backoff.
// Every decision is RedisConnectionFsm's; the coroutines here only carry its actions out.
// With Sentinels in the endpoint, every connect attempt first asks them where the primary is, the
// handshake checks ROLE, and a READONLY refusal (a demoted primary) drops the connection so the next
// attempt asks again; primaryMoved() (SentinelWatch) makes it move at once.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "adapters/redis/redis_connection_fsm.hpp"
#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"
#include "adapters/redis/redis_stats.hpp"
#include "adapters/supervision/supervised_loop.hpp"

struct redisReader;

namespace jkjav::redis {

struct RedisOptions {
    std::chrono::milliseconds connectTimeout{1000};
    std::chrono::milliseconds commandTimeout{2000};  // a reply later than this drops the connection
    std::chrono::milliseconds backoffInitial{50};
    std::chrono::milliseconds backoffMax{2000};
    std::size_t maxPending = 100000;  // commands in flight before new ones are refused
};

// An error_code for transport failures (not_connected, timed_out, connection lost); a reply
// otherwise, which may itself be a Redis error reply.
using RedisResult = boost::system::result<RedisReply>;

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
  public:
    // `stats`: where this connection reports timings and reconnects (written on its own thread
    // only); nullptr: nowhere.
    static std::shared_ptr<RedisConnection> create(boost::asio::any_io_executor executor,
                                                   RedisEndpoint endpoint, RedisOptions options = {},
                                                   RedisStats* stats = nullptr);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // Connects in the background and keeps reconnecting until stop(). Call on the owning thread.
    // The supervision and the watchdog loops are restarted after a throw as `supervision` says.
    void start(const supervision::Supervision& supervision = {});
    void stop();
    [[nodiscard]] bool connected() const { return fsm_.connected(); }
    // The server this connection writes to (or tries to reach). On the owning thread.
    [[nodiscard]] const HostPort& server() const { return current_; }
    // Handshakes completed so far. Answers to commands sent while it had one value came over one
    // connection to one server: a WAIT sent then covers them; after a reconnect (perhaps to
    // another primary) it covers nothing they said. On the owning thread.
    [[nodiscard]] std::uint64_t session() const { return session_; }

    // Sentinel announced a new primary: a connection to any other server closes and reconnects at
    // once, skipping its backoff. Safe from any thread (posted to the owning one).
    void primaryMoved(HostPort primary);

    // One command as its words. Fails at once with not_connected while disconnected, so callers
    // never queue behind an outage. (A span, not an initializer_list: GCC 12 miscompiles braced
    // lists of string literals inside coroutines.)
    boost::asio::awaitable<RedisResult> executeArgv(std::span<const std::string_view> args);

  private:
    using Handler = boost::asio::any_completion_handler<void(RedisResult)>;

    RedisConnection(boost::asio::any_io_executor executor, RedisEndpoint endpoint, RedisOptions options,
                    RedisStats* stats);

    boost::asio::awaitable<void> supervise(std::shared_ptr<RedisConnection> self);
    // What the loop does with a connection that ended: its callers failed, how long to wait.
    std::chrono::milliseconds settleLostConnection();
    boost::asio::awaitable<boost::system::error_code> connectSocket();
    boost::asio::awaitable<void> readUntilClosed();
    boost::asio::awaitable<void> writeLoop(std::shared_ptr<RedisConnection> self);
    boost::asio::awaitable<void> watchdog(std::shared_ptr<RedisConnection> self);

    void onPrimaryMoved(const HostPort& primary);
    void startWriter();
    void closeSocket(boost::system::error_code reason);
    void complete(Handler handler, RedisResult result);

    boost::asio::any_io_executor executor_;
    RedisEndpoint endpoint_;
    RedisOptions options_;
    RedisConnectionFsm fsm_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer backoffTimer_;
    boost::asio::steady_timer watchdogTimer_;
    redisReader* reader_ = nullptr;
    // The callers waiting for a reply, oldest first: one for each caller's command the FSM holds.
    std::deque<Handler> waiters_;
    RedisStats* stats_;
    bool everConnected_ = false;  // a later handshake is a reconnect
    std::uint64_t session_ = 0;
    HostPort current_;  // the server of the socket (or of the attempt under way)
    std::size_t nextSentinel_ = 0;
    bool sentinelsFailing_ = false;  // warned once per outage, not on every attempt
    bool skipBackoff_ = false;       // the primary moved: reconnect now
};

}  // namespace jkjav::redis
