#include "adapters/http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <cstdio>
#include <optional>
#include <span>

#include "adapters/http/http_date.hpp"

namespace jkjav::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {

// The client sent something that is not HTTP/1.1 (as opposed to going away mid-request).
bool isMalformedHttp(const error_code& ec) {
    using beast::http::error;
    return ec.category() == beast::http::make_error_code(error::bad_target).category() &&
           ec != error::end_of_stream && ec != error::partial_message;
}

}  // namespace

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(Tcp::socket socket, HttpListener& listener)
        : stream_(std::move(socket)), listener_(&listener) {
        listener_->sessions_.insert(this);
        listener_->openSessions_.fetch_add(1, std::memory_order_relaxed);
    }
    ~HttpSession() {
        if (listener_ == nullptr) return;
        listener_->sessions_.erase(this);
        listener_->openSessions_.fetch_sub(1, std::memory_order_relaxed);
    }

    // The listener is going away before this session's frame is destroyed (process exit).
    void detach() { listener_ = nullptr; }

    void start() { asio::co_spawn(stream_.get_executor(), run(shared_from_this()), asio::detached); }

    void closeIfIdle() {
        if (!busy_) stream_.socket().close();
    }

    void closeIfIdleSince(std::chrono::steady_clock::time_point cutoff) {
        if (idleSince_ && *idleSince_ < cutoff) stream_.socket().close();
    }

  private:
    asio::awaitable<void> run(std::shared_ptr<HttpSession> self);
    asio::awaitable<bool> waitForRequest();
    asio::awaitable<bool> reply(Response response, bool keepAlive);
    asio::awaitable<bool> reply(const PreparedReply& prepared, const Request& request, bool keepAlive);

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    HttpListener* listener_;
    bool busy_ = false;  // a whole request has arrived and is not answered yet
    std::optional<std::chrono::steady_clock::time_point> idleSince_;  // waiting for a next request
    std::string head_;                  // reused for every response head on this connection
    std::array<char, 64> dateLine_{};   // this response's Date line: the per-thread cache may move on
    std::array<char, 48> staleLine_{};  // X-Snapshot-Age, when Redis is away
};

asio::awaitable<bool> HttpSession::waitForRequest() {
    // An idle keep-alive connection holds no buffer and no timer: it waits for readability and
    // the listener's once-a-second sweep closes it after idleTimeout. Once a request's first byte
    // is in, the whole request must arrive within readTimeout (the stream's own deadline).
    if (buffer_.size() > 0) co_return true;
    buffer_.shrink_to_fit();
    idleSince_ = std::chrono::steady_clock::now();
    auto [ec] = co_await stream_.socket().async_wait(Tcp::socket::wait_read, kNoThrow);
    idleSince_.reset();
    co_return !ec;
}

asio::awaitable<bool> HttpSession::reply(Response response, bool keepAlive) {
    response.keep_alive(keepAlive);
    // The head is written into a buffer the session keeps, and sent with the body in one
    // gather-write: Beast's general serializer cost 7% of a booking in the profile.
    head_.clear();
    head_.append(response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    head_.append(std::to_string(response.result_int()));
    head_.push_back(' ');
    head_.append(response.reason());
    head_.append("\r\n");
    for (const auto& field : response) {
        head_.append(field.name_string());
        head_.append(": ");
        head_.append(field.value());
        head_.append("\r\n");
    }
    head_.append("\r\n");
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(response.body())};
    stream_.expires_after(listener_->limits_.writeTimeout);
    auto [ec, written] = co_await asio::async_write(stream_, buffers, kNoThrow);
    co_return !ec && keepAlive;
}

asio::awaitable<bool> HttpSession::reply(const PreparedReply& prepared, const Request& request,
                                         bool keepAlive) {
    const bool notModified = prepared.notModified;
    const std::string& head = notModified ? prepared.prepared->head304 : prepared.prepared->head200;
    const std::string_view date = dateHeaderLine();
    std::copy(date.begin(), date.end(), dateLine_.begin());

    std::array<asio::const_buffer, 6> buffers;
    std::size_t count = 0;
    buffers[count++] = asio::buffer(head);
    buffers[count++] = asio::buffer(dateLine_.data(), date.size());
    if (prepared.staleSeconds >= 0) {
        const int length = std::snprintf(staleLine_.data(), staleLine_.size(), "X-Snapshot-Age: %lld\r\n",
                                         prepared.staleSeconds);
        buffers[count++] = asio::buffer(staleLine_.data(), static_cast<std::size_t>(length));
    }
    constexpr std::string_view kClose = "Connection: close\r\n\r\n";
    constexpr std::string_view kKeepAlive10 = "Connection: keep-alive\r\n\r\n";
    constexpr std::string_view kEnd = "\r\n";
    const std::string_view ending = !keepAlive ? kClose : request.version() == 10 ? kKeepAlive10 : kEnd;
    buffers[count++] = asio::buffer(ending.data(), ending.size());
    if (!notModified && request.method() != beast::http::verb::head) {
        buffers[count++] = asio::buffer(prepared.prepared->body);
    }

    stream_.expires_after(listener_->limits_.writeTimeout);
    auto [ec, written] = co_await asio::async_write(
        stream_, std::span<const asio::const_buffer>(buffers.data(), count), kNoThrow);
    co_return !ec && keepAlive;
}

asio::awaitable<void> HttpSession::run([[maybe_unused]] std::shared_ptr<HttpSession> self) {
    const HttpLimits& limits = listener_->limits_;
    error_code peerError;  // a peer already gone reads as 0.0.0.0; nobody is answered then anyway
    const auto peer = stream_.socket().remote_endpoint(peerError).address();
    for (;;) {
        if (listener_->draining_ || !co_await waitForRequest()) break;

        beast::http::request_parser<beast::http::string_body> parser;
        parser.body_limit(limits.bodyLimit);
        parser.header_limit(static_cast<std::uint32_t>(limits.headerLimit));
        stream_.expires_after(limits.readTimeout);
        auto [ec, bytes] = co_await beast::http::async_read(stream_, buffer_, parser, kNoThrow);
        if (ec == beast::http::error::body_limit) {
            busy_ = true;
            co_await reply(ApiHandler::errorResponse(
                               11, domain::ErrorCode::kPayloadTooLarge,
                               "The body is larger than " + std::to_string(limits.bodyLimit) + " bytes."),
                           false);
            break;
        }
        if (isMalformedHttp(ec)) {
            busy_ = true;
            co_await reply(
                ApiHandler::errorResponse(11, domain::ErrorCode::kInvalidRequest,
                                          "The request is not valid HTTP/1.1: " + ec.message() + "."),
                false);
            break;
        }
        if (ec) break;  // closed, reset or timed out: nobody to answer

        busy_ = true;
        const Request& request = parser.get();
        const bool keepAliveWanted = request.keep_alive() && !listener_->draining_;
        if (auto prepared = listener_->api_.answerFromSnapshot(request)) {
            const bool stillOpen = co_await reply(*prepared, request, keepAliveWanted);
            busy_ = false;
            if (!stillOpen) break;
            continue;
        }
        Response response;
        try {
            response = co_await listener_->api_.handle(request, peer);
        } catch (const std::exception& e) {
            spdlog::error("unhandled error answering {} {}: {}", std::string_view(request.method_string()),
                          std::string_view(request.target()), e.what());
            response = ApiHandler::errorResponse(request.version(), domain::ErrorCode::kInternal,
                                                 "Something went wrong on our side.");
        }
        if (request.method() == beast::http::verb::head) {
            response.content_length(response.body().size());
            response.body().clear();  // Content-Length stays that of the GET body
        }
        const bool open = co_await reply(std::move(response), keepAliveWanted);
        busy_ = false;
        if (!open) break;
    }
    error_code ignored;
    stream_.socket().shutdown(Tcp::socket::shutdown_send, ignored);
    stream_.close();
}

HttpListener::HttpListener(asio::any_io_executor executor, ApiHandler& api, HttpLimits limits)
    : executor_(std::move(executor)), api_(api), limits_(limits), acceptor_(executor_) {}

HttpListener::~HttpListener() {
    for (HttpSession* session : sessions_) session->detach();
}

error_code HttpListener::listen(const Tcp::endpoint& endpoint) {
    error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return ec;
    acceptor_.set_option(Tcp::acceptor::reuse_address(true), ec);
    if (ec) return ec;
    using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    acceptor_.set_option(ReusePort(true), ec);
    if (ec) return ec;
    acceptor_.bind(endpoint, ec);
    if (ec) return ec;
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    return ec;
}

std::uint16_t HttpListener::port() const {
    error_code ec;
    return acceptor_.local_endpoint(ec).port();
}

void HttpListener::start() {
    asio::co_spawn(executor_, acceptLoop(), asio::detached);
    asio::co_spawn(executor_, sweepIdle(), asio::detached);
}

asio::awaitable<void> HttpListener::sweepIdle() {
    asio::steady_timer timer(executor_);
    while (acceptor_.is_open()) {
        timer.expires_after(std::min(limits_.idleTimeout, std::chrono::milliseconds(1000)));
        co_await timer.async_wait(kNoThrow);
        const auto cutoff = std::chrono::steady_clock::now() - limits_.idleTimeout;
        for (HttpSession* session : sessions_) session->closeIfIdleSince(cutoff);
    }
}

asio::awaitable<void> HttpListener::acceptLoop() {
    while (acceptor_.is_open()) {
        auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
        if (ec) {
            // Out of file descriptors and the like: wait a moment rather than spin.
            spdlog::warn("accept failed: {}", ec.message());
            asio::steady_timer pause(executor_, std::chrono::milliseconds(50));
            co_await pause.async_wait(kNoThrow);
            continue;
        }
        socket.set_option(Tcp::no_delay(true), ec);
        std::make_shared<HttpSession>(std::move(socket), *this)->start();
    }
}

void HttpListener::stopAccepting() {
    error_code ignored;
    acceptor_.close(ignored);
}

void HttpListener::drain() {
    draining_ = true;
    for (HttpSession* session : sessions_) session->closeIfIdle();
}

}  // namespace jkjav::http
