#include "adapters/http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <cstdio>
#include <optional>
#include <span>
#include <tuple>

#include "adapters/http/buffered_request.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/http_date.hpp"
#include "adapters/http/request_id.hpp"
#include "adapters/http/wire_bytes.hpp"
#include "adapters/logging/interval_log.hpp"
#include "adapters/logging/log_fields.hpp"
#include "domain/person_id.hpp"

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

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// RFC 9112 6.3: a body framed in any way but Content-Length or a lone, final `chunked` could be
// read differently by a proxy in front of us (request smuggling), so such a request is refused and
// its connection closed. nullopt: the framing is fine.
std::optional<std::string_view> framingProblem(const Request& request) {
    const auto encodings = request.count(beast::http::field::transfer_encoding);
    if (encodings > 0) {
        if (encodings > 1) return "Transfer-Encoding is sent more than once.";
        if (request.version() < 11) return "HTTP/1.0 has no Transfer-Encoding.";
        if (!beast::iequals(trimmed(request[beast::http::field::transfer_encoding]), "chunked"))
            return "The only Transfer-Encoding served is chunked.";
        if (request.count(beast::http::field::content_length) > 0)
            return "Transfer-Encoding and Content-Length together.";
    }
    if (request.version() >= 11 && request.count(beast::http::field::host) != 1)
        return "HTTP/1.1 needs exactly one Host header.";
    return std::nullopt;
}

// What names an unrouted request in logs, as in metrics: never its path, which may hold an id.
constexpr std::string_view kUnmatchedRoute = "unmatched";
// The first read of a request: a booking's POST or a browser's GET fits whole (300 to 900 bytes);
// a longer one is read on by Beast. A waiting connection keeps at most kWaitingBufferMax.
constexpr std::size_t kFirstReadBytes = 1024;
constexpr std::size_t kWaitingBufferMax = 4096;

std::string_view routeName(const RouteMatch& route) {
    return route.route == nullptr ? kUnmatchedRoute : route.pattern();
}

bool expectsContinue(const Request& request) {
    const auto expect = request.find(beast::http::field::expect);
    return expect != request.end() && request.version() >= 11 &&
           beast::iequals(trimmed(expect->value()), "100-continue");
}

}  // namespace

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(Tcp::socket socket, HttpListener& listener)
        : stream_(std::move(socket)),
          // Bounded pipelining: at most one request's worth of bytes is read ahead of the one being
          // answered; further pipelined requests wait in the kernel, which slows their sender.
          buffer_(listener.limits_.headerLimit + listener.limits_.bodyLimit + 4096),
          listener_(&listener),
          deadline_(stream_.get_executor()),
          waitingSince_(std::chrono::steady_clock::now()) {
        listener_->sessions_.insert(this);
        listener_->openSessions_.fetch_add(1, std::memory_order_relaxed);
        error_code ignored;
        stream_.socket().non_blocking(true, ignored);  // send()'s first write never blocks the thread
    }
    ~HttpSession() {
        if (listener_ == nullptr) return;
        listener_->budget_.close();
        listener_->sessions_.erase(this);
        listener_->openSessions_.fetch_sub(1, std::memory_order_relaxed);
    }

    // The listener is going away before this session's frame is destroyed (process exit).
    void detach() {
        listener_->budget_.close();
        listener_ = nullptr;
    }

    void start() { asio::co_spawn(stream_.get_executor(), run(shared_from_this()), asio::detached); }

    // Connections waiting for a request since before these instants close (drain: only while
    // draining, once drainQuiet has passed since it began).
    struct QuietCutoffs {
        std::chrono::steady_clock::time_point fresh;  // no request yet: firstByteTimeout
        std::chrono::steady_clock::time_point idle;   // keep-alive: idleTimeout
        std::optional<std::chrono::steady_clock::time_point> drain;
    };

    void closeIfQuietSince(const QuietCutoffs& cutoffs) {
        if (phase_ != Phase::kWaiting) return;
        auto cutoff = fresh_ ? cutoffs.fresh : cutoffs.idle;
        if (cutoffs.drain) cutoff = std::max(cutoff, *cutoffs.drain);
        if (waitingSince_ < cutoff && !hasUnreadBytes()) stopWaiting();
    }

  private:
    enum class Phase { kWaiting, kReading, kAnswering };
    using Parser = RequestParser;

    asio::awaitable<void> run(std::shared_ptr<HttpSession> self);
    asio::awaitable<bool> waitForRequest();
    // Reads one request; false when the connection is to close (after answering, if it can).
    asio::awaitable<bool> readRequest(Parser& parser);
    asio::awaitable<bool> reply(Response response, bool keepAlive);
    // Writes all of `buffers` (which must outlive the call); false when the connection failed.
    asio::awaitable<bool> send(std::span<const asio::const_buffer> buffers);
    asio::awaitable<bool> reply(const PreparedReply& prepared, const Request& request, bool keepAlive);
    // `parser`: the request so far, which names the route when its head was read.
    asio::awaitable<void> refuse(HttpRefusal code, std::string_view message, const Parser& parser);
    asio::awaitable<void> lingeringClose();

    // Names the request whose head `parser` read (or tried to): requestId_ and its header line.
    void identify(const Parser& parser);
    // The access log line (debug level: at the default level it costs one relaxed load).
    void logAnswered(std::string_view method, std::string_view route, unsigned status) const;

    void stopReadDeadline() {
        ++readGeneration_;
        deadline_.cancel();
    }

    // Cancels the waiting read rather than closing the socket: a read that already took a request's
    // bytes but has not resumed waitForRequest yet (a completion Asio posted) still completes with
    // them, and that request is answered. A cancelled wait closes the socket (waitForRequest).
    void stopWaiting() {
        error_code ignored;
        stream_.socket().cancel(ignored);
    }

    bool hasUnreadBytes() {
        error_code ec;
        return stream_.socket().available(ec) > 0 && !ec;
    }

    // A read deadline that cancels (not closes) the socket, so that a late body can still be
    // answered 408. Beast's own stream timeout, which closes, bounds the writes.
    // The generation tells a deadline that fired just as its read completed from the current one.
    void readUntil(std::chrono::steady_clock::time_point at) {
        timedOut_ = false;
        stream_.expires_never();
        deadline_.expires_at(at);
        deadline_.async_wait([weak = weak_from_this(), generation = ++readGeneration_](const error_code& ec) {
            if (ec) return;
            if (auto session = weak.lock(); session && session->readGeneration_ == generation) {
                session->timedOut_ = true;
                error_code ignored;
                session->stream_.socket().cancel(ignored);
            }
        });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    HttpListener* listener_;
    asio::steady_timer deadline_;
    std::uint32_t readGeneration_ = 0;
    bool timedOut_ = false;
    Phase phase_ = Phase::kWaiting;
    bool fresh_ = true;  // no request yet on this connection: firstByteTimeout applies, not idleTimeout
    std::chrono::steady_clock::time_point waitingSince_;
    std::chrono::steady_clock::time_point requestStarted_;  // this request's first byte, for its duration
    std::string head_;                  // reused for every response head on this connection
    std::array<char, 64> dateLine_{};   // this response's Date line: the per-thread cache may move on
    std::array<char, 48> staleLine_{};  // X-Snapshot-Age, when Redis is away
    bool peerTrusted_ = false;          // the peer is in TRUSTED_PROXIES: its X-Request-Id is kept
    RequestId requestId_;
    std::array<char, RequestId::kMaxLength + 24> requestIdLine_{};  // "X-Request-Id: ...\r\n"
    std::size_t requestIdLineSize_ = 0;
};

void HttpSession::identify(const Parser& parser) {
    std::string_view given;
    if (parser.is_header_done() && peerTrusted_) given = parser.get()[kRequestIdHeader];
    requestId_ = requestIdFor(given, peerTrusted_);
    const std::string_view name = kRequestIdHeader;
    char* out = std::copy(name.begin(), name.end(), requestIdLine_.data());
    out = std::copy(wire::kFieldSeparator.begin(), wire::kFieldSeparator.end(), out);
    const std::string_view id = requestId_.view();
    out = std::copy(id.begin(), id.end(), out);
    out = std::copy(wire::kLineEnd.begin(), wire::kLineEnd.end(), out);
    requestIdLineSize_ = static_cast<std::size_t>(out - requestIdLine_.data());
}

void HttpSession::logAnswered(std::string_view method, std::string_view route, unsigned status) const {
    if (!spdlog::should_log(spdlog::level::debug)) return;
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - requestStarted_;
    logging::logWith({{logging::kRequestIdKey, requestId_.view()},
                      {"method", method},
                      {"route", route},
                      {"status", status},
                      {"durationMs", took.count()}},
                     spdlog::level::debug, "request");
}

asio::awaitable<bool> HttpSession::waitForRequest() {
    // A waiting connection holds a small buffer and no timer: the listener's sweep closes it after
    // firstByteTimeout (new) or idleTimeout (keep-alive). The wait is the request's first read. An
    // async_wait for readability instead re-arms the socket in epoll (EPOLL_CTL_MOD) on every
    // request, a third system call beside the read and the write; with the read as the wait, Asio
    // queues it on the edge-triggered registration without a call. GET /stations/PWTC: +11-17%.
    if (buffer_.size() > 0) co_return true;  // pipelined: the next request is already here
    // Draining, too, the connection waits: its last answer said keep-alive, so the client may be
    // sending its next request right now. The sweep closes it once it has been quiet for drainQuiet.
    // After a large request, give its memory back rather than keep it through an idle wait.
    if (buffer_.capacity() > kWaitingBufferMax) buffer_.shrink_to_fit();
    phase_ = Phase::kWaiting;
    waitingSince_ = std::chrono::steady_clock::now();
    auto [ec, bytes] = co_await stream_.socket().async_read_some(buffer_.prepare(kFirstReadBytes), kNoThrow);
    buffer_.commit(bytes);
    if (ec) {
        // Cancelled (stopWaiting), closed or reset by the client: no answer is on its way to it, so
        // there is nothing for lingeringClose to protect.
        error_code ignored;
        stream_.socket().close(ignored);
    }
    co_return !ec;
}

asio::awaitable<bool> HttpSession::readRequest(Parser& parser) {
    const HttpLimits& limits = listener_->limits_;
    parser.body_limit(limits.bodyLimit);
    parser.header_limit(static_cast<std::uint32_t>(limits.headerLimit));
    const auto firstByte = std::chrono::steady_clock::now();
    requestStarted_ = firstByte;
    timedOut_ = false;
    // What waitForRequest read first is parsed at once; only a request still arriving is read on,
    // under its deadline.
    error_code ec = parseBufferedHead(parser, buffer_);
    std::size_t bytes = 0;
    if (ec == beast::http::error::need_more) {
        readUntil(firstByte + std::min(limits.headerTimeout, limits.readTimeout));
        std::tie(ec, bytes) = co_await beast::http::async_read_header(stream_, buffer_, parser, kNoThrow);
        stopReadDeadline();
    }
    if (!ec) {
        identify(parser);
        if (auto problem = framingProblem(parser.get())) {
            co_await refuse(HttpRefusal::kBadFraming, *problem, parser);
            co_return false;
        }
        const bool bodyStarted = buffer_.size() > 0;
        if (!parser.is_done()) ec = parseBufferedBody(parser, buffer_);
        if (ec == beast::http::error::need_more) {
            if (expectsContinue(parser.get()) && !bodyStarted) {
                stream_.expires_after(limits.writeTimeout);
                auto [writeError, written] = co_await asio::async_write(
                    stream_, asio::buffer(wire::kContinue.data(), wire::kContinue.size()), kNoThrow);
                if (writeError) co_return false;
            }
            readUntil(firstByte + limits.readTimeout);  // the body's share of the whole request's time
            std::tie(ec, bytes) = co_await beast::http::async_read(stream_, buffer_, parser, kNoThrow);
            stopReadDeadline();
        }
    }
    if (!ec) co_return true;
    // The refusals below need a name too (a connection that simply closed does not).
    if (!parser.is_header_done() && ec != beast::http::error::end_of_stream) identify(parser);

    if (ec == beast::http::error::body_limit) {
        co_await refuse(HttpRefusal::kPayloadTooLarge,
                        "The body is larger than " + std::to_string(limits.bodyLimit) + " bytes.", parser);
    } else if (ec == beast::http::error::header_limit) {
        co_await refuse(HttpRefusal::kHeadersTooLarge,
                        "The request head is larger than " + std::to_string(limits.headerLimit) + " bytes.",
                        parser);
    } else if (ec == beast::http::error::buffer_overflow) {
        co_await refuse(
            parser.is_header_done() ? HttpRefusal::kPayloadTooLarge : HttpRefusal::kHeadersTooLarge,
            "The request is larger than this server reads.", parser);
    } else if (isMalformedHttp(ec)) {
        co_await refuse(HttpRefusal::kBadFraming, "The request is not valid HTTP/1.1: " + ec.message() + ".",
                        parser);
    } else if (timedOut_ && parser.is_header_done()) {
        // The head came, the body stopped: someone is waiting for an answer.
        co_await refuse(
            HttpRefusal::kRequestTimeout,
            "The body did not arrive within " + std::to_string(limits.readTimeout.count()) + " ms.", parser);
    }
    // Otherwise: closed, reset, or a head that never finished (slowloris): nobody to answer.
    co_return false;
}

asio::awaitable<void> HttpSession::refuse(HttpRefusal code, std::string_view message, const Parser& parser) {
    phase_ = Phase::kAnswering;
    ++listener_->counts_.read;
    Response response = ApiHandler::errorResponse(11, code, message);
    const unsigned status = response.result_int();
    const bool named = parser.is_header_done();
    const RouteMatch route = named ? listener_->api_.route(parser.get()) : RouteMatch{};
    listener_->countAnswer(route, named ? parser.get().method() : beast::http::verb::unknown, status,
                           requestStarted_);
    co_await reply(std::move(response), false);
    logAnswered(named ? parser.get().method_string() : "", named ? routeName(route) : kUnmatchedRoute,
                status);
}

asio::awaitable<bool> HttpSession::reply(Response response, bool keepAlive) {
    response.keep_alive(keepAlive);
    // The head is written into a buffer the session keeps, and sent with the body in one
    // gather-write: Beast's general serializer cost 7% of a booking in the profile.
    head_.clear();
    head_.append(response.version() == 10 ? wire::kVersion10 : wire::kVersion11);
    head_.append(std::to_string(response.result_int()));
    head_.push_back(' ');
    head_.append(response.reason());
    head_.append(wire::kLineEnd);
    for (const auto& field : response) {
        head_.append(field.name_string());
        head_.append(wire::kFieldSeparator);
        head_.append(field.value());
        head_.append(wire::kLineEnd);
    }
    head_.append(requestIdLine_.data(), requestIdLineSize_);
    head_.append(wire::kLineEnd);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(response.body())};
    if (!co_await send(buffers)) co_return false;
    co_return keepAlive;
}

asio::awaitable<bool> HttpSession::reply(const PreparedReply& prepared, const Request& request,
                                         bool keepAlive) {
    const bool notModified = prepared.notModified;
    const std::string& head = notModified ? prepared.prepared->head304 : prepared.prepared->head200;
    const std::string_view date = dateHeaderLine();
    std::copy(date.begin(), date.end(), dateLine_.begin());

    std::array<asio::const_buffer, 7> buffers;
    std::size_t count = 0;
    buffers[count++] = asio::buffer(head);
    buffers[count++] = asio::buffer(dateLine_.data(), date.size());
    buffers[count++] = asio::buffer(requestIdLine_.data(), requestIdLineSize_);
    if (prepared.staleSeconds >= 0) {
        const int length = std::snprintf(staleLine_.data(), staleLine_.size(), wire::kSnapshotAgeFormat,
                                         prepared.staleSeconds);
        buffers[count++] = asio::buffer(staleLine_.data(), static_cast<std::size_t>(length));
    }
    const std::string_view ending = !keepAlive                ? wire::kEndClose
                                    : request.version() == 10 ? wire::kEndKeepAlive10
                                                              : wire::kEndKeepAlive11;
    buffers[count++] = asio::buffer(ending.data(), ending.size());
    if (!notModified && request.method() != beast::http::verb::head) {
        buffers[count++] = asio::buffer(prepared.prepared->body);
    }

    if (!co_await send(std::span<const asio::const_buffer>(buffers.data(), count))) co_return false;
    co_return keepAlive;
}

asio::awaitable<bool> HttpSession::send(std::span<const asio::const_buffer> buffers) {
    // Nearly every answer fits the socket's send buffer: one non-blocking sendmsg, with no write
    // timer and no completion through the event loop. What does not fit goes on asynchronously,
    // bounded by writeTimeout.
    error_code ec;
    std::size_t sent = stream_.socket().write_some(buffers, ec);
    if (ec == asio::error::would_block) {
        ec = {};
        sent = 0;
    }
    if (!ec && sent < asio::buffer_size(buffers)) {
        beast::buffers_suffix<std::span<const asio::const_buffer>> rest(buffers);
        rest.consume(sent);
        stream_.expires_after(listener_->limits_.writeTimeout);
        std::tie(ec, sent) = co_await asio::async_write(stream_, rest, kNoThrow);
    }
    if (ec) co_return false;
    ++listener_->counts_.answered;
    co_return true;
}

asio::awaitable<void> HttpSession::run([[maybe_unused]] std::shared_ptr<HttpSession> self) {
    error_code peerError;  // a peer already gone reads as 0.0.0.0; nobody is answered then anyway
    const auto peer = stream_.socket().remote_endpoint(peerError).address();
    peerTrusted_ = listener_->api_.trustedProxies().contains(peer);
    for (;;) {
        if (!co_await waitForRequest()) break;
        phase_ = Phase::kReading;
        fresh_ = false;
        Parser parser;
        if (!co_await readRequest(parser)) break;

        phase_ = Phase::kAnswering;
        ++listener_->counts_.read;
        Request& request = parser.get();
        // Matched once: the fast path and the handler share it (and its pattern names the request).
        const RouteMatch route = listener_->api_.route(request);
        if (auto prepared = listener_->api_.answerFromSnapshot(request, route)) {
            const unsigned status = prepared->notModified ? 304 : 200;
            listener_->countAnswer(route, request.method(), status, requestStarted_);
            const bool more =
                co_await reply(*prepared, request, request.keep_alive() && !listener_->draining_);
            logAnswered(request.method_string(), routeName(route), status);
            if (!more) break;
            continue;
        }
        // The id as this server settled it replaces whatever the client sent: handlers that log
        // read it from the request they are given.
        request.set(kRequestIdHeader, requestId_.view());
        Response response;
        try {
            response = co_await listener_->api_.handle(request, peer, route);
        } catch (const std::exception& e) {
            // The route's pattern, not the target, which for /booking/{id}?phoneNumber= holds both
            // numbers; and the message masked, as it may quote the request.
            logging::logWith({{logging::kRequestIdKey, requestId_.view()}, {"route", routeName(route)}},
                             spdlog::level::err, "unhandled error answering {} {}: {}",
                             std::string_view(request.method_string()), routeName(route),
                             domain::maskPersonalInText(e.what()));
            response = ApiHandler::errorResponse(request.version(), HttpRefusal::kInternal,
                                                 "Something went wrong on our side.");
        }
        if (request.method() == beast::http::verb::head) {
            response.content_length(response.body().size());
            response.body().clear();  // Content-Length stays that of the GET body
        }
        const unsigned status = response.result_int();
        listener_->countAnswer(route, request.method(), status, requestStarted_);
        // Asked again after handling: a drain may have begun meanwhile.
        const bool more = co_await reply(std::move(response), request.keep_alive() && !listener_->draining_);
        logAnswered(request.method_string(), routeName(route), status);
        if (!more) break;
    }
    co_await lingeringClose();
}

asio::awaitable<void> HttpSession::lingeringClose() {
    // Closing a socket with unread bytes makes the kernel send a reset, which can destroy the
    // response just sent before the client reads it. So: stop sending, then read and drop what the
    // client still sends until it closes too, for a bounded time and amount.
    error_code ignored;
    stream_.socket().shutdown(Tcp::socket::shutdown_send, ignored);
    if (stream_.socket().is_open()) {
        readUntil(std::chrono::steady_clock::now() +
                  std::min(listener_->limits_.readTimeout, std::chrono::milliseconds(1000)));
        std::array<char, 512> sink;
        std::size_t dropped = 0;
        while (dropped < 64 * 1024) {
            auto [ec, n] = co_await stream_.socket().async_read_some(asio::buffer(sink), kNoThrow);
            if (ec) break;
            dropped += n;
        }
        stopReadDeadline();
    }
    stream_.close();
}

HttpListener::HttpListener(asio::any_io_executor executor, ApiHandler& api, HttpLimits limits,
                           ConnectionBudget& budget, metrics::HttpRequestCells& requests)
    : executor_(std::move(executor)),
      api_(api),
      limits_(limits),
      budget_(budget),
      requests_(requests),
      acceptor_(executor_) {
    const std::string body =
        errorBody(HttpRefusal::kServerBusy, "Too many connections; try again in a moment.");
    busyReply_ = wire::serverBusyReply(body);
}

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

void HttpListener::start(const supervision::Supervision& supervision) {
    supervision::spawnSupervised(
        executor_, "http acceptor", [this] { return acceptLoop(); }, supervision);
    supervision::spawnSupervised(
        executor_, "http idle sweep", [this] { return sweepIdle(); }, supervision);
}

std::chrono::milliseconds HttpListener::sweepInterval() const {
    // A few sweeps per shortest timeout: a silent connection lives at most a fifth longer than allowed.
    auto shortest = std::min(limits_.firstByteTimeout, limits_.idleTimeout);
    if (draining_) shortest = std::min(shortest, limits_.drainQuiet);
    return std::clamp(shortest / 5, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
}

asio::awaitable<void> HttpListener::sweepIdle() {
    asio::steady_timer timer(executor_);
    while (!draining_ || !sessions_.empty()) {
        timer.expires_after(sweepInterval());
        co_await timer.async_wait(kNoThrow);
        const auto now = std::chrono::steady_clock::now();
        HttpSession::QuietCutoffs cutoffs{.fresh = now - limits_.firstByteTimeout,
                                          .idle = now - limits_.idleTimeout};
        if (draining_ && now - drainStartedAt_ >= limits_.drainQuiet)
            cutoffs.drain = now - limits_.drainQuiet;
        // Closing only cancels the session's wait; it erases itself later, so iterating stays valid.
        for (HttpSession* session : sessions_) session->closeIfQuietSince(cutoffs);
    }
}

void HttpListener::refuse(Tcp::socket& socket) {
    // A fresh socket's send buffer always has room for these few hundred bytes: one non-blocking
    // send, no coroutine, no wait.
    error_code ignored;
    socket.non_blocking(true, ignored);
    // The prepared answer with this refusal's own X-Request-Id after its status line.
    const std::string_view reply = busyReply_;
    const std::size_t statusLine = wire::kStatus503.size();
    const RequestId id = RequestId::generate();
    const std::array<asio::const_buffer, 6> buffers{asio::buffer(reply.substr(0, statusLine)),
                                                    asio::buffer(kRequestIdHeader),
                                                    asio::buffer(wire::kFieldSeparator),
                                                    asio::buffer(id.view()),
                                                    asio::buffer(wire::kLineEnd),
                                                    asio::buffer(reply.substr(statusLine))};
    socket.send(buffers, 0, ignored);
    socket.shutdown(Tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
}

asio::awaitable<void> HttpListener::acceptLoop() {
    logging::IntervalLog acceptErrors;
    std::chrono::milliseconds backoff{0};
    asio::steady_timer pause(executor_);
    while (acceptor_.is_open()) {
        auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
        if (ec) {
            // Out of file descriptors and the like: the pending connection stays queued, so trying
            // again at once would spin. Back off (10 ms doubling to 1 s) and log once a second.
            acceptErrors.note("accept failed", ec.message());
            backoff = std::clamp(backoff * 2, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
            pause.expires_after(backoff);
            co_await pause.async_wait(kNoThrow);
            continue;
        }
        backoff = std::chrono::milliseconds(0);
        admit(std::move(socket));
    }
}

void HttpListener::admit(Tcp::socket socket) {
    if (!budget_.tryOpen()) {
        refusals_.note("connection refused with 503",
                       "MAX_CONNECTIONS (" + std::to_string(budget_.maxConnections()) + ") are open");
        refuse(socket);
        return;
    }
    error_code ignored;
    socket.set_option(Tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), *this)->start();
}

void HttpListener::stopAccepting() {
    // Connections the kernel completed are in the listening socket's queue, and their clients may
    // have sent a request already: closing the socket would reset them. So take them first (one
    // non-blocking accept each, until the queue is empty); they are served as the drain serves all.
    error_code ec;
    acceptor_.non_blocking(true, ec);
    while (!ec && acceptor_.is_open()) {
        Tcp::socket socket(executor_);
        acceptor_.accept(socket, ec);
        if (!ec) admit(std::move(socket));
    }
    acceptor_.close(ec);
}

void HttpListener::drain() {
    draining_ = true;
    drainStartedAt_ = std::chrono::steady_clock::now();
}

}  // namespace jkjav::http
