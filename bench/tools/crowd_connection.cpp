#include "crowd_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>

namespace jkjav::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;

CrowdConnection::CrowdConnection(asio::any_io_executor executor, asio::ip::tcp::endpoint server,
                                 std::chrono::milliseconds timeout)
    : stream_(std::move(executor)), server_(server), timeout_(timeout) {}

asio::awaitable<Answer> CrowdConnection::exchange(const http::request<http::string_body>& request) {
    const bool wasConnected = connected_;
    if (auto answer = co_await attempt(request)) co_return std::move(*answer);
    // Only a reused connection earns a second try: a fresh one that failed says the server is away.
    if (wasConnected) {
        if (auto answer = co_await attempt(request)) co_return std::move(*answer);
    }
    co_return Answer{};
}

asio::awaitable<std::optional<Answer>> CrowdConnection::attempt(
    const http::request<http::string_body>& request) {
    constexpr auto token = asio::as_tuple(asio::use_awaitable);
    if (!connected_) {
        beast::error_code closed;
        stream_.socket().close(closed);
        buffer_.clear();
        stream_.expires_after(timeout_);
        auto [error] = co_await stream_.async_connect(server_, token);
        if (error) co_return std::nullopt;
        stream_.socket().set_option(asio::ip::tcp::no_delay(true), closed);
        connected_ = true;
    }
    stream_.expires_after(timeout_);
    auto [writeError, written] = co_await http::async_write(stream_, request, token);
    if (writeError) {
        connected_ = false;
        co_return std::nullopt;
    }
    http::response<http::string_body> response;
    auto [readError, read] = co_await http::async_read(stream_, buffer_, response, token);
    if (readError) {
        connected_ = false;
        co_return std::nullopt;
    }
    stream_.expires_never();
    if (!response.keep_alive()) connected_ = false;
    Answer answer;
    answer.status = response.result_int();
    if (auto header = response.find(http::field::retry_after); header != response.end()) {
        answer.retryAfterSeconds = std::strtol(std::string(header->value()).c_str(), nullptr, 10);
    }
    answer.body = std::move(response.body());
    co_return answer;
}

}  // namespace jkjav::bench
