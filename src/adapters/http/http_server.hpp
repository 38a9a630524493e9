// The HTTP listener of one worker thread and its sessions: accept within MAX_CONNECTIONS, read with
// deadlines, answer in order, and drain on shutdown (every request on an open connection is answered
// with Connection: close; a connection closes only once it has been quiet for drainQuiet).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

#include "adapters/http/api_handler.hpp"
#include "adapters/http/connection_budget.hpp"
#include "adapters/logging/interval_log.hpp"
#include "adapters/metrics/worker_metrics.hpp"
#include "adapters/supervision/supervised_loop.hpp"

namespace jkjav::http {

struct HttpLimits {
    std::size_t bodyLimit = 8 * 1024;
    std::size_t headerLimit = 8 * 1024;                 // a larger head is answered 431
    std::chrono::milliseconds firstByteTimeout{5'000};  // a new connection that sends nothing
    std::chrono::milliseconds headerTimeout{5'000};     // from a request's first byte to its blank line
    std::chrono::milliseconds readTimeout{10'000};      // from a request's first byte to its last
    std::chrono::milliseconds idleTimeout{60'000};      // a keep-alive connection with no request
    std::chrono::milliseconds writeTimeout{10'000};
    // Draining: a connection waiting this long since the drain began (and since its last answer) is
    // closed. Shorter, and a client's next request (or a load balancer's, until its checks of
    // /readyz take this server out) could be on its way as the connection closes: no answer for it.
    std::chrono::milliseconds drainQuiet{3'000};
};

// Requests this listener parsed and answered (its own thread's counts: no shared cache line).
struct RequestCounts {
    std::uint64_t read = 0;
    std::uint64_t answered = 0;
};

class HttpSession;

class HttpListener {
  public:
    // `requests`: this worker's own cells (written only on this listener's thread).
    HttpListener(boost::asio::any_io_executor executor, ApiHandler& api, HttpLimits limits,
                 ConnectionBudget& budget, metrics::HttpRequestCells& requests);
    ~HttpListener();

    // Binds with SO_REUSEPORT so that every worker thread can own an acceptor on the same port.
    boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
    [[nodiscard]] std::uint16_t port() const;
    // The acceptor and the idle sweep, each restarted after a throw as `supervision` says.
    void start(const supervision::Supervision& supervision = {});

    // Call on this listener's thread. stopAccepting first serves the connections already waiting in
    // the kernel's queue (closing the socket would reset them, requests and all).
    void stopAccepting();
    void drain();
    // Safe from any thread.
    [[nodiscard]] std::size_t openSessions() const { return openSessions_.load(std::memory_order_relaxed); }
    // Read once this listener's thread has stopped.
    [[nodiscard]] const RequestCounts& requestCounts() const { return counts_; }

  private:
    friend class HttpSession;
    boost::asio::awaitable<void> acceptLoop();
    // Closes connections that sent nothing within firstByteTimeout, or nothing more within idleTimeout,
    // and while draining those quiet for drainQuiet. Ends once a drain has closed every connection.
    boost::asio::awaitable<void> sweepIdle();
    [[nodiscard]] std::chrono::milliseconds sweepInterval() const;
    // A session for an accepted connection, or a 503 over MAX_CONNECTIONS.
    void admit(boost::asio::ip::tcp::socket socket);
    void refuse(boost::asio::ip::tcp::socket& socket);  // over MAX_CONNECTIONS: 503 and close
    // Counted before the response is written, so a client that has read it finds it counted.
    void countAnswer(const RouteMatch& route, boost::beast::http::verb method, unsigned status,
                     std::chrono::steady_clock::time_point startedAt) {
        requests_.record(api_.routeIndex(route), method, status,
                         std::chrono::steady_clock::now() - startedAt);
    }

    boost::asio::any_io_executor executor_;
    ApiHandler& api_;
    HttpLimits limits_;
    ConnectionBudget& budget_;
    metrics::HttpRequestCells& requests_;
    logging::IntervalLog refusals_;
    std::string busyReply_;  // the whole 503 answer to a connection over the limit, rendered once
    boost::asio::ip::tcp::acceptor acceptor_;
    std::unordered_set<HttpSession*> sessions_;
    std::atomic<std::size_t> openSessions_{0};
    bool draining_ = false;
    std::chrono::steady_clock::time_point drainStartedAt_;
    RequestCounts counts_;
};

}  // namespace jkjav::http
