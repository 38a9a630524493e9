#include "stable_address.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace jkjav::devbroker {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> copy(tcp::socket& from, tcp::socket& to) {
    std::array<char, 16 * 1024> buffer;
    for (;;) {
        const auto [readError, n] = co_await from.async_read_some(asio::buffer(buffer), kNoThrow);
        if (readError) co_return;
        const auto [writeError, written] = co_await asio::async_write(to, asio::buffer(buffer, n), kNoThrow);
        if (writeError) co_return;
    }
}

asio::awaitable<void> relay(tcp::socket client, tcp::endpoint target) {
    tcp::socket upstream(client.get_executor());
    const auto [connectError] = co_await upstream.async_connect(target, kNoThrow);
    if (connectError) co_return;  // the client sees its connection closed and retries
    // Either side closing ends both: Kafka connections carry no half-closed state.
    co_await (copy(client, upstream) || copy(upstream, client));
}

}  // namespace

asio::awaitable<void> forwardConnections(tcp::acceptor& acceptor, tcp::endpoint target) {
    for (;;) {
        auto [error, client] = co_await acceptor.async_accept(kNoThrow);
        if (error == asio::error::operation_aborted) co_return;
        if (error) continue;  // e.g. out of files: this client retries, the next may succeed
        asio::co_spawn(acceptor.get_executor(), relay(std::move(client), target), asio::detached);
    }
}

}  // namespace jkjav::devbroker
