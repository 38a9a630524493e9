// The HTTP listener of one worker thread and its sessions: accept, read with deadlines, answer in
// order, and drain on shutdown (idle connections close at once, busy ones after their response).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_set>

#include "adapters/http/api_handler.hpp"

namespace jkjav::http {

struct HttpLimits {
    std::size_t bodyLimit = 8 * 1024;
    std::size_t headerLimit = 8 * 1024;
    std::chrono::milliseconds readTimeout{10'000};  // from a request's first byte to its last
    std::chrono::milliseconds idleTimeout{60'000};  // a keep-alive connection with no request
    std::chrono::milliseconds writeTimeout{10'000};
};

class HttpSession;

class HttpListener {
  public:
    HttpListener(boost::asio::any_io_executor executor, ApiHandler& api, HttpLimits limits);
    ~HttpListener();

    // Binds with SO_REUSEPORT so that every worker thread can own an acceptor on the same port.
    boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
    [[nodiscard]] std::uint16_t port() const;
    void start();

    // Call on this listener's thread.
    void stopAccepting();
    void drain();
    // Safe from any thread.
    [[nodiscard]] std::size_t openSessions() const { return openSessions_.load(std::memory_order_relaxed); }

  private:
    friend class HttpSession;
    boost::asio::awaitable<void> acceptLoop();
    boost::asio::awaitable<void> sweepIdle();  // closes keep-alive connections idle past idleTimeout

    boost::asio::any_io_executor executor_;
    ApiHandler& api_;
    HttpLimits limits_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::unordered_set<HttpSession*> sessions_;
    std::atomic<std::size_t> openSessions_{0};
    bool draining_ = false;
};

}  // namespace jkjav::http
