#include "adapters/redis/sentinel_query.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <string>

#include "adapters/redis/bounded_connect.hpp"
#include "adapters/redis/redis_connection_fsm.hpp"
#include "adapters/redis/redis_reader.hpp"
#include "adapters/redis/redis_reply.hpp"
#include "adapters/redis/sentinel_replies.hpp"

namespace jkjav::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using Tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {

struct ReaderFree {
    void operator()(redisReader* reader) const { redisReaderFree(reader); }
};

// One Sentinel, one question, one bound on the whole exchange.
asio::awaitable<std::optional<HostPort>> askOne(asio::any_io_executor executor, const HostPort& sentinel,
                                                std::string_view masterName,
                                                std::chrono::milliseconds timeout) {
    // Shared with the deadline's handler, which may run after this frame is gone.
    auto socket = std::make_shared<Tcp::socket>(executor);
    const auto startedAt = std::chrono::steady_clock::now();
    if (const error_code connectError = co_await connectWithin(*socket, sentinel, timeout)) {
        spdlog::debug("sentinel {}:{}: cannot connect ({})", sentinel.host, sentinel.port,
                      connectError.message());
        co_return std::nullopt;
    }
    asio::steady_timer deadline(executor);
    deadline.expires_at(startedAt + timeout);
    deadline.async_wait([socket](error_code ec) {
        if (!ec) socket->close(ec);
    });
    std::string request;
    const std::array<std::string_view, 3> words{"SENTINEL", "get-master-addr-by-name", masterName};
    appendRespCommand(request, words);
    auto [writeError, written] = co_await asio::async_write(*socket, asio::buffer(request), kNoThrow);
    std::optional<HostPort> primary;
    if (!writeError) {
        const std::unique_ptr<redisReader, ReaderFree> reader(createBoundedReader());
        std::array<char, 1024> buffer;
        for (;;) {
            auto [readError, received] = co_await socket->async_read_some(asio::buffer(buffer), kNoThrow);
            if (readError || redisReaderFeed(reader.get(), buffer.data(), received) != REDIS_OK) break;
            void* raw = nullptr;
            if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) break;
            if (raw == nullptr) continue;
            const RedisReply reply(static_cast<redisReply*>(raw));
            primary = primaryFromSentinelReply(reply.view());
            if (!primary) {
                spdlog::warn("sentinel {}:{}: knows no primary named '{}'{}{}", sentinel.host, sentinel.port,
                             masterName, reply.view().isError() ? ": " : "", reply.view().text());
            }
            break;
        }
    }
    deadline.cancel();
    error_code ignored;
    socket->close(ignored);
    co_return primary;
}

}  // namespace

asio::awaitable<std::optional<HostPort>> askSentinelsForPrimary(asio::any_io_executor executor,
                                                                const std::vector<HostPort>& sentinels,
                                                                std::string_view masterName,
                                                                std::chrono::milliseconds timeoutEach,
                                                                std::size_t& next) {
    for (std::size_t asked = 0; asked < sentinels.size(); ++asked) {
        const std::size_t index = (next + asked) % sentinels.size();
        if (auto primary = co_await askOne(executor, sentinels[index], masterName, timeoutEach)) {
            next = index;
            co_return primary;
        }
    }
    co_return std::nullopt;
}

}  // namespace jkjav::redis
