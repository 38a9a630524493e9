// One keep-alive HTTP/1.1 connection of the crowd's pool: connects on first use and again after a
// failure, and bounds every exchange by a timeout. Used by one worker coroutine at a time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace jkjav::bench {

namespace http = boost::beast::http;

struct Answer {
    unsigned status = 0;  // 0: no answer (connection refused, reset or timed out)
    std::string body;
    long retryAfterSeconds = -1;  // -1: no Retry-After header
};

class CrowdConnection {
  public:
    CrowdConnection(boost::asio::any_io_executor executor, boost::asio::ip::tcp::endpoint server,
                    std::chrono::milliseconds timeout);

    // One request and its answer. A request that failed on a kept-alive connection (the server
    // closed it between two requests) is sent once more on a new one; every request the crowd
    // sends may be repeated (status polls read; a booking repeated is answered with the same booking).
    boost::asio::awaitable<Answer> exchange(const http::request<http::string_body>& request);

  private:
    boost::asio::awaitable<std::optional<Answer>> attempt(const http::request<http::string_body>& request);

    boost::beast::tcp_stream stream_;
    boost::asio::ip::tcp::endpoint server_;
    std::chrono::milliseconds timeout_;
    boost::beast::flat_buffer buffer_;
    bool connected_ = false;
};

}  // namespace jkjav::bench
