// A RedisConnection whose server stops being the primary (a failover demoted it): the refused write
// fails its caller as a lost connection would (503 and retry, never a wrong answer), and the
// connection starts over, so it can find the new primary. Against real redis-servers.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "adapters/redis/redis_connection.hpp"
#include "fixtures.hpp"

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;

// Runs `context` until `done()` or 10 s; false when the deadline came first.
bool runUntil(asio::io_context& context, const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    context.restart();
    while (!done()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= end) return false;
        context.run_one_for(end - now);
    }
    return true;
}

std::optional<RedisResult> setKey(asio::io_context& context, RedisConnection& connection, std::string value) {
    std::optional<RedisResult> result;
    asio::co_spawn(
        context,
        [&connection, value]() -> asio::awaitable<RedisResult> {
            const std::array<std::string_view, 3> command{"SET", "k", value};
            co_return co_await connection.executeArgv(command);
        },
        [&](std::exception_ptr, RedisResult answered) { result = std::move(answered); });
    if (!runUntil(context, [&] { return result.has_value(); })) return std::nullopt;
    return result;
}

TEST(RedisDemotedPrimary, AReadOnlyRefusalFailsTheCallerAndTheConnectionStartsOver) {
    testing::TempDir dir;
    std::filesystem::create_directories(dir.path() + "/a");
    std::filesystem::create_directories(dir.path() + "/b");
    testing::RedisServer primary(dir.path() + "/a");
    testing::RedisServer other(dir.path() + "/b");
    primary.start();
    other.start();

    asio::io_context context;
    RedisStats stats;
    RedisEndpoint endpoint;
    endpoint.port = static_cast<std::uint16_t>(primary.port());
    auto connection = RedisConnection::create(context.get_executor(), endpoint, {}, &stats);
    connection->start();
    ASSERT_TRUE(runUntil(context, [&] { return connection->connected(); }));
    const auto before = setKey(context, *connection, "1");
    ASSERT_TRUE(before && before->has_value() && before->value().view().text() == "OK");

    // Demoted, as Sentinel demotes an old primary after a failover.
    ASSERT_EQ(primary.probe().command({"REPLICAOF", "127.0.0.1", std::to_string(other.port())}), "OK");
    const auto refused = setKey(context, *connection, "2");
    ASSERT_TRUE(refused.has_value()) << "no answer within 10 s";
    // Not Redis's error reply handed on (a caller could read it as "no"): a transport failure.
    EXPECT_TRUE(refused->has_error());
    // The connection was dropped and made again (to wherever the endpoint leads now).
    EXPECT_TRUE(runUntil(context, [&] { return stats.reconnects.value() >= 1 && connection->connected(); }));

    connection->stop();
    context.restart();
    context.poll();
}

}  // namespace
}  // namespace jkjav::redis
