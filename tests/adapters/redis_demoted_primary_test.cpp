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
#include <vector>

#include "adapters/redis/book_call.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_script.hpp"
#include "adapters/redis/redis_slot_counters.hpp"
#include "domain/campaign.hpp"
#include "fixtures.hpp"
#include "run_awaitable.hpp"

namespace jkjav::embedded {
extern const std::string_view kBookBatchLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;
using testing::runUntil;

template <class T>
std::optional<T> runFor(asio::io_context& context, asio::awaitable<T> work) {
    std::optional<T> result;
    asio::co_spawn(context, std::move(work), [&](std::exception_ptr error, T answered) {
        if (error) std::rethrow_exception(error);
        result = std::move(answered);
    });
    if (!runUntil(context, [&] { return result.has_value(); })) return std::nullopt;
    return result;
}

asio::awaitable<RedisResult> setKey(RedisConnection& connection, std::string value) {
    const std::array<std::string_view, 3> command{"SET", "k", value};
    co_return co_await connection.executeArgv(command);
}

// Two bookings in one book_batch.lua call, as BookingBatcher sends them.
asio::awaitable<RedisResult> bookTwoInOneCall(RedisConnection& connection) {
    const RedisKeys keys;
    const domain::Booking first{"900000000001",        "F", "L", "Addr", "A", "0123456789", "20210516", "",
                                "2021-05-26T01:02:03Z"};
    const domain::Booking second{"900000000002",        "F", "L", "Addr", "A", "0123456789", "20210516", "",
                                 "2021-05-26T01:02:03Z"};
    const BookCall one(keys, first, "A:20210516", false, app::QueuePass(""));
    const BookCall two(keys, second, "A:20210516", false, app::QueuePass(""));
    std::vector<std::string_view> keysAndArgs;
    BookCall::appendSharedBatchKeys(keys, keysAndArgs);
    one.appendOwnBatchKeys(keysAndArgs);
    two.appendOwnBatchKeys(keysAndArgs);
    const std::string argCount = std::to_string(BookCall::argCount());
    keysAndArgs.push_back(argCount);
    one.appendArgs(keysAndArgs);
    two.appendArgs(keysAndArgs);
    RedisScript script(embedded::kBookBatchLua);
    co_return co_await script.run(connection, BookCall::kSharedBatchKeys + 2 * BookCall::kOwnBatchKeys,
                                  keysAndArgs);
}

class RedisDemotedPrimary : public ::testing::Test {
  protected:
    void SetUp() override {
        std::filesystem::create_directories(dir_.path() + "/a");
        std::filesystem::create_directories(dir_.path() + "/b");
        primary_.start();
        other_.start();
        RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(primary_.port());
        connection_ = RedisConnection::create(context_.get_executor(), endpoint, {}, &stats_);
        connection_->start();
        ASSERT_TRUE(runUntil(context_, [&] { return connection_->connected(); }));
    }
    void TearDown() override {
        connection_->stop();
        context_.restart();
        context_.poll();
    }
    // As Sentinel demotes an old primary after a failover.
    void demote() {
        ASSERT_EQ(primary_.probe().command({"REPLICAOF", "127.0.0.1", std::to_string(other_.port())}), "OK");
    }
    // The connection was dropped and made again (to wherever the endpoint leads now).
    bool startedOver() {
        return runUntil(context_, [&] { return stats_.reconnects.value() >= 1 && connection_->connected(); });
    }

    testing::TempDir dir_;
    testing::RedisServer primary_{dir_.path() + "/a"};
    testing::RedisServer other_{dir_.path() + "/b"};
    asio::io_context context_;
    RedisStats stats_;
    std::shared_ptr<RedisConnection> connection_;
};

TEST_F(RedisDemotedPrimary, AReadOnlyRefusalFailsTheCallerAndTheConnectionStartsOver) {
    const auto before = runFor(context_, setKey(*connection_, "1"));
    ASSERT_TRUE(before && before->has_value() && before->value().view().text() == "OK");
    demote();
    const auto refused = runFor(context_, setKey(*connection_, "2"));
    ASSERT_TRUE(refused.has_value()) << "no answer within 10 s";
    // Not Redis's error reply handed on (a caller could read it as "no"): a transport failure.
    EXPECT_TRUE(refused->has_error());
    EXPECT_TRUE(startedOver());
}

TEST_F(RedisDemotedPrimary, ABatchOfBookingsRefusedInsideTheScriptFailsAsAWholeAndTheConnectionStartsOver) {
    // Seeded, so the bookings get as far as writing (an unseeded campaign is refused before that).
    RedisSlotCounters counters(connection_, RedisKeys());
    const domain::Campaign campaign("t", {}, {{"A", "A", "", {{{2021, 5, 16}, 5}}}}, std::nullopt);
    const auto seeded = runFor(
        context_, counters.seed(campaign, app::SeedRequest{{"t", "TP2JVF", "2021-05-26T00:00:00Z"}, false}));
    ASSERT_TRUE(seeded && seeded->outcome == app::SeedOutcome::kSeeded);
    demote();
    // book_batch.lua catches each booking's error to answer the others; READONLY it must not catch.
    const auto refused = runFor(context_, bookTwoInOneCall(*connection_));
    ASSERT_TRUE(refused.has_value()) << "no answer within 10 s";
    EXPECT_TRUE(refused->has_error()) << (refused->has_value() ? refused->value().view()[0][3].text() : "");
    EXPECT_TRUE(startedOver());
}

}  // namespace
}  // namespace jkjav::redis
