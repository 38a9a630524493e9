#include "adapters/http/status_listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <thread>

#include "adapters/metrics/metrics_exposition.hpp"

namespace jkjav::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using Tcp = asio::ip::tcp;

struct StatusListener::State {
    asio::io_context io{1};
    Tcp::acceptor acceptor{io};
    StatusPages pages;
    std::thread thread;
};

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> serve(beast::tcp_stream stream, const StatusPages& pages) {
    stream.expires_after(std::chrono::seconds(5));  // a slow or silent client is cut off
    beast::flat_buffer buffer;
    beast::http::request_parser<beast::http::string_body> parser;
    parser.body_limit(4096);
    auto [readError, read] = co_await beast::http::async_read(stream, buffer, parser, kNoThrow);
    if (readError) co_return;
    const auto& request = parser.get();
    beast::http::response<beast::http::string_body> response;
    response.version(request.version());
    response.keep_alive(false);
    const std::string_view target(request.target().data(), request.target().size());
    if (request.method() != beast::http::verb::get) {
        response.result(beast::http::status::method_not_allowed);
        response.set(beast::http::field::content_type, "application/json");
        response.body() = R"({"code":"METHOD_NOT_ALLOWED","message":"only GET is served here"})";
    } else if (target == "/metrics") {
        response.result(beast::http::status::ok);
        response.set(beast::http::field::content_type, metrics::kTextContentType);
        response.body() = pages.metrics();
    } else if (target == "/healthz") {
        response.result(beast::http::status::ok);
        response.set(beast::http::field::content_type, "application/json");
        response.body() = pages.health();
    } else {
        response.result(beast::http::status::not_found);
        response.set(beast::http::field::content_type, "application/json");
        response.body() = R"({"code":"NOT_FOUND","message":"this port serves /metrics and /healthz"})";
    }
    response.prepare_payload();
    co_await beast::http::async_write(stream, response, kNoThrow);
    beast::error_code ignored;
    stream.socket().shutdown(Tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> acceptLoop(StatusListener::State& state) {
    while (state.acceptor.is_open()) {
        auto [error, socket] = co_await state.acceptor.async_accept(kNoThrow);
        if (error) {
            if (error == asio::error::operation_aborted) co_return;
            continue;
        }
        asio::co_spawn(state.io, serve(beast::tcp_stream(std::move(socket)), state.pages), asio::detached);
    }
}

}  // namespace

std::variant<std::unique_ptr<StatusListener>, std::string> StatusListener::start(
    const std::string& address, std::uint16_t port, StatusPages pages,
    const supervision::Supervision& supervision) {
    auto state = std::make_unique<State>();
    state->pages = std::move(pages);
    beast::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) return "status port: " + address + " is not an IP address";
    const Tcp::endpoint endpoint(ip, port);
    state->acceptor.open(endpoint.protocol(), ec);
    if (!ec) state->acceptor.set_option(Tcp::acceptor::reuse_address(true), ec);
    if (!ec) state->acceptor.bind(endpoint, ec);
    if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return "status port: binding " + address + ":" + std::to_string(port) + ": " + ec.message();
    const std::uint16_t bound = state->acceptor.local_endpoint(ec).port();
    State& running = *state;
    supervision::spawnSupervised(
        running.io.get_executor(), "status listener", [&running] { return acceptLoop(running); },
        supervision);
    state->thread = std::thread([&running] { running.io.run(); });
    return std::unique_ptr<StatusListener>(new StatusListener(std::move(state), bound));
}

StatusListener::StatusListener(std::unique_ptr<State> state, std::uint16_t port)
    : state_(std::move(state)), port_(port) {}

StatusListener::~StatusListener() {
    state_->io.stop();
    if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace jkjav::http
