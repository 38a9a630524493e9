#include "adapters/redis/bounded_connect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string>

namespace jkjav::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using Tcp = asio::ip::tcp;

asio::awaitable<error_code> connectWithin(Tcp::socket& socket, const HostPort& where,
                                          std::chrono::milliseconds timeout) {
    auto executor = socket.get_executor();
    auto resolver = std::make_shared<Tcp::resolver>(executor);
    // The timer ends whichever step is under way: resolving is cancelled, a connect closed. Once the
    // steps are over (`done`), a late expiry touches nothing: `socket` may be gone by then.
    struct Race {
        bool done = false;
        bool expired = false;
    };
    auto race = std::make_shared<Race>();
    asio::steady_timer deadline(executor);
    deadline.expires_after(timeout);
    deadline.async_wait([resolver, race, &socket](error_code ec) {
        if (ec || race->done) return;
        race->expired = true;
        resolver->cancel();
        socket.close(ec);
    });
    auto [resolveError, endpoints] = co_await resolver->async_resolve(where.host, std::to_string(where.port),
                                                                      asio::as_tuple(asio::use_awaitable));
    error_code result = resolveError;
    if (!resolveError && !race->expired) {
        auto [connectError, endpoint] =
            co_await asio::async_connect(socket, endpoints, asio::as_tuple(asio::use_awaitable));
        result = connectError;
    }
    race->done = true;
    deadline.cancel();
    if (race->expired) result = asio::error::timed_out;
    if (result) {
        error_code ignored;
        socket.close(ignored);
    }
    co_return result;
}

}  // namespace jkjav::redis
