// The failed-lookup counter against a real redis-server: its window, its lock, one key per id.
#include "adapters/redis/redis_lookup_failures.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fixtures.hpp"

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;
using std::chrono::seconds;

class RedisLookupFailuresTest : public ::testing::Test {
  protected:
    void SetUp() override {
        redis_.start();
        RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(redis_.port());
        connection_ = RedisConnection::create(context_.get_executor(), endpoint);
        connection_->start();
        failures_.emplace(connection_, RedisKeys());
        ASSERT_TRUE(testing::eventually([&] {
            context_.restart();
            context_.run_for(std::chrono::milliseconds(10));
            return connection_->connected();
        }));
    }
    void TearDown() override {
        connection_->stop();
        context_.restart();
        context_.run_for(std::chrono::milliseconds(50));
    }

    // Runs one coroutine on the connection's context, bounded by a deadline.
    template <class Work>
    void run(Work work) {
        bool done = false;
        asio::co_spawn(context_, std::move(work), [&](std::exception_ptr error) {
            if (error) std::rethrow_exception(error);
            done = true;
        });
        context_.restart();
        const auto deadline = std::chrono::steady_clock::now() + seconds(10);
        while (!done && std::chrono::steady_clock::now() < deadline)
            context_.run_for(std::chrono::milliseconds(10));
        ASSERT_TRUE(done);
    }

    std::optional<long long> count(const std::string& id) {
        std::optional<long long> result;
        run([&]() -> asio::awaitable<void> { result = co_await failures_->count(id); });
        return result;
    }
    void record(const std::string& id) {
        run([&]() -> asio::awaitable<void> { co_await failures_->record(id, seconds(60), 3, seconds(900)); });
    }

    testing::TempDir dir_;
    testing::RedisServer redis_{dir_.path()};
    asio::io_context context_;
    std::shared_ptr<RedisConnection> connection_;
    std::optional<RedisLookupFailures> failures_;
};

TEST_F(RedisLookupFailuresTest, CountsInAWindowThatTheLockStretches) {
    EXPECT_EQ(count("900127015527"), 0);
    record("900127015527");
    EXPECT_EQ(count("900127015527"), 1);
    const long long window = redis_.probe().integer({"PTTL", "jkjav:lookupfail:900127015527"});
    EXPECT_GT(window, 0);
    EXPECT_LE(window, 60'000);
    record("900127015527");
    record("900127015527");  // the third: the lock
    EXPECT_EQ(count("900127015527"), 3);
    EXPECT_GT(redis_.probe().integer({"PTTL", "jkjav:lookupfail:900127015527"}), 60'000);
    EXPECT_EQ(count("900127015528"), 0);  // one count per id
}

TEST_F(RedisLookupFailuresTest, AStoreAwayIsNoCount) {
    redis_.kill();
    EXPECT_EQ(count("900127015527"), std::nullopt);
    record("900127015527");  // dropped, and it does not hang
}

}  // namespace
}  // namespace jkjav::redis
