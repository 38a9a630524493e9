// The Redis adapter against a real redis-server: pipelining, outages, timeouts, scripts, the booking script.
#include "adapters/redis/redis_connection.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/redis/redis_booking_store.hpp"
#include "adapters/redis/redis_reader.hpp"
#include "adapters/redis/redis_script.hpp"
#include "adapters/redis/redis_slot_counters.hpp"
#include "fixtures.hpp"
#include "run_awaitable.hpp"

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;
using testing::runAwaitable;
using testing::runBounded;
using testing::runUntil;

// Every wait in these tests ends by this bound at the latest (a hang fails instead of stalling).
constexpr std::chrono::seconds kPatience{10};

// Waits, on the connection's own thread, until it is connected == `wanted` (or the deadline passes).
asio::awaitable<bool> connectedWithin(RedisConnection& connection, std::chrono::milliseconds deadline,
                                      bool wanted = true) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (connection.connected() != wanted && std::chrono::steady_clock::now() < end) {
        timer.expires_after(std::chrono::milliseconds(10));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return connection.connected() == wanted;
}

// How many times Redis answered `error` (e.g. WRONGPASS, NOAUTH) since it started: proof that a
// login was attempted and refused.
long long errorCount(testing::RedisProbe& probe, const std::string& error) {
    const auto info = probe.command({"INFO", "errorstats"});
    if (!info) return -1;
    const std::string field = "errorstat_" + error + ":count=";
    const auto at = info->find(field);
    return at == std::string::npos ? 0 : std::stoll(info->substr(at + field.size()));
}

class RedisConnectionTest : public ::testing::Test {
  protected:
    void SetUp() override { redis_.start(); }

    std::shared_ptr<RedisConnection> connect(RedisOptions options = {}) {
        RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(redis_.port());
        auto connection = RedisConnection::create(context_.get_executor(), endpoint, options);
        connection->start();
        return connection;
    }

    template <class T>
    T run(asio::awaitable<T> work) {
        return runBounded(context_, std::move(work));
    }

    // Campaign "t": location A, one seat on 20210516 and five on 20210517.
    static domain::Campaign twoDayCampaign() {
        return domain::Campaign("t", {}, {{"A", "A", "", {{{2021, 5, 16}, 1}, {{2021, 5, 17}, 5}}}},
                                std::nullopt);
    }
    static domain::Booking draftFor(const std::string& id, const std::string& date) {
        return {id, "F", "L", "Addr", "A", "0123456789", date, "", "2021-05-26T01:02:03Z"};
    }

    testing::TempDir dir_;
    testing::RedisServer redis_{dir_.path(), true};
    asio::io_context context_;
};

TEST_F(RedisConnectionTest, PipelinedCommandsGetTheirOwnRepliesInOrder) {
    auto connection = connect();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));

    constexpr int kCommands = 2000;
    std::vector<long long> replies(kCommands, -1);
    int finished = 0;
    for (int i = 0; i < kCommands; ++i) {
        asio::co_spawn(
            context_,
            [&, i]() -> asio::awaitable<void> {
                const std::array<std::string_view, 2> command{"INCR", "counter"};
                auto result = co_await connection->executeArgv(command);
                replies[i] = result ? result->view().integer() : -2;
                ++finished;
            },
            asio::detached);
    }
    ASSERT_TRUE(runUntil(context_, [&] { return finished == kCommands; })) << finished << " replies";
    // Spawned in order on one thread, written back to back: reply i is the (i+1)-th increment.
    for (int i = 0; i < kCommands; ++i) ASSERT_EQ(replies[i], i + 1) << i;
    connection->stop();
}

TEST_F(RedisConnectionTest, FailsFastWhileRedisIsDownAndReconnectsWhenItIsBack) {
    // A command timeout far above the bound below: a command that waited for Redis instead of
    // failing at once could not pass.
    auto connection = connect({.commandTimeout = std::chrono::seconds(30),
                               .backoffInitial = std::chrono::milliseconds(10),
                               .backoffMax = std::chrono::milliseconds(100)});
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    redis_.kill();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5), false)));  // loss noticed

    constexpr int kCommands = 100;
    const auto started = std::chrono::steady_clock::now();
    const auto failures = run([&]() -> asio::awaitable<std::vector<boost::system::error_code>> {
        std::vector<boost::system::error_code> errors;
        const std::array<std::string_view, 1> ping{"PING"};
        for (int i = 0; i < kCommands; ++i) {
            auto result = co_await connection->executeArgv(ping);
            errors.push_back(result ? boost::system::error_code() : result.error());
        }
        co_return errors;
    }());
    const auto elapsed = std::chrono::steady_clock::now() - started;
    for (int i = 0; i < kCommands; ++i) EXPECT_EQ(failures[i], asio::error::not_connected) << i;
    // 100 refusals in well under a second (each is a few microseconds; the bound is for a busy
    // machine): none waited for a reply, a timeout or a reconnect.
    EXPECT_LT(elapsed, std::chrono::seconds(1));

    redis_.start();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    const auto pong = run([&]() -> asio::awaitable<std::string> {
        const std::array<std::string_view, 1> ping{"PING"};
        auto result = co_await connection->executeArgv(ping);
        co_return result ? std::string(result->view().text()) : "error";
    }());
    EXPECT_EQ(pong, "PONG");
    connection->stop();
}

TEST_F(RedisConnectionTest, ALateReplyTimesOutInsteadOfHanging) {
    auto connection = connect({.commandTimeout = std::chrono::milliseconds(100)});
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    const auto result = run([&]() -> asio::awaitable<RedisResult> {
        const std::array<std::string_view, 3> sleep{"DEBUG", "SLEEP", "1"};
        co_return co_await connection->executeArgv(sleep);
    }());
    ASSERT_TRUE(result.has_error());
    EXPECT_EQ(result.error(), asio::error::timed_out);
    EXPECT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));  // and it comes back
    connection->stop();
}

TEST_F(RedisConnectionTest, AReplyAboveTheElementBoundFailsItsCommandAndTheConnectionRecovers) {
    auto connection = connect();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    auto arrayOf = [&](std::size_t elements) {
        return run([&]() -> asio::awaitable<RedisResult> {
            const std::string count = std::to_string(elements);
            const std::array<std::string_view, 4> eval{
                "EVAL", "local t = {} for i = 1, tonumber(ARGV[1]) do t[i] = 1 end return t", "0", count};
            co_return co_await connection->executeArgv(eval);
        }());
    };
    const auto tooMany = arrayOf(kMaxReplyElements + 1);
    ASSERT_TRUE(tooMany.has_error());
    EXPECT_EQ(tooMany.error(), asio::error::fault);
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    const auto fine = arrayOf(1000);
    ASSERT_FALSE(fine.has_error());
    EXPECT_EQ(fine->view().size(), 1000u);
    connection->stop();
}

TEST_F(RedisConnectionTest, ScriptsReloadThemselvesAfterAFlush) {
    auto connection = connect();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    RedisScript script("return ARGV[1] .. '!'");
    auto call = [&]() -> asio::awaitable<std::string> {
        const std::array<std::string_view, 1> args{"hi"};
        auto result = co_await script.run(*connection, 0, args);
        co_return result ? std::string(result->view().text()) : "error";
    };
    EXPECT_EQ(run(call()), "hi!");
    ASSERT_EQ(redis_.probe().command({"SCRIPT", "FLUSH"}), "OK");
    EXPECT_EQ(run(call()), "hi!");
    connection->stop();
}

// Counters a jkjav from before markers seeded are adopted as they are, never reset to capacity.
TEST_F(RedisConnectionTest, SeedingAdoptsCountersFromBeforeMarkersWithoutTouchingThem) {
    auto connection = connect();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    auto& probe = redis_.probe();
    ASSERT_TRUE(probe.command({"HSET", "jkjav:slots", "A:20210516", "0"}).has_value());  // sold out
    RedisSlotCounters counters(connection, RedisKeys());
    const auto adopted = run(
        counters.seed(twoDayCampaign(), app::SeedRequest{{"t", "TP2JVF", "2021-05-26T00:00:00Z"}, false}));
    EXPECT_EQ(adopted.outcome, app::SeedOutcome::kAdopted);
    EXPECT_EQ(adopted.countersCreated, 1);  // only the date that had no counter
    EXPECT_EQ(probe.integer({"HGET", "jkjav:slots", "A:20210516"}), 0);
    EXPECT_EQ(probe.command({"HGET", "jkjav:campaign", "epoch"}), "TP2JVF");
    connection->stop();
}

TEST_F(RedisConnectionTest, TheBookingScriptDecidesEveryOutcomeAtomically) {
    auto connection = connect();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    const domain::Campaign campaign = twoDayCampaign();
    RedisSlotCounters counters(connection, RedisKeys());
    RedisBookingStore store(connection, RedisKeys());
    auto seed = [&](app::CampaignMarker marker, bool force = false) {
        return run(counters.seed(campaign, app::SeedRequest{std::move(marker), force}));
    };
    auto book = [&](std::string id, std::string date) {
        return run(store.book(draftFor(id, date), "A:" + date, false, app::QueuePass{}));
    };
    EXPECT_EQ(book("900127015527", "20210516").outcome, domain::Outcome::kNotSeeded);  // no marker yet
    const app::CampaignMarker marker{"t", "TP2JVF", "2021-05-26T00:00:00Z"};
    const auto seeded = seed(marker);
    EXPECT_EQ(seeded.outcome, app::SeedOutcome::kSeeded);
    EXPECT_EQ(seeded.countersCreated, 2);

    const auto first = book("900127015527", "20210516");
    EXPECT_EQ(first.outcome, domain::Outcome::kBooked);
    EXPECT_EQ(first.booking.reference, "JKTP2JVF0000001");  // the seeding's epoch in every reference
    EXPECT_EQ(book("900127015527", "20210516").outcome, domain::Outcome::kAlreadyHeld);
    EXPECT_EQ(book("900127015527", "20210516").booking.reference, "JKTP2JVF0000001");
    EXPECT_EQ(book("900127015527", "20210517").outcome, domain::Outcome::kAlreadyBooked);
    EXPECT_EQ(book("900127015528", "20210516").outcome, domain::Outcome::kFull);
    EXPECT_EQ(book("900127015528", "20210518").outcome, domain::Outcome::kUnknownSlot);

    auto& probe = redis_.probe();
    EXPECT_EQ(probe.integer({"HGET", "jkjav:slots", "A:20210516"}), 0);
    EXPECT_EQ(probe.integer({"HGET", "jkjav:slots", "A:20210517"}), 5);
    EXPECT_EQ(probe.integer({"XLEN", "jkjav:outbox"}), 1);  // one event: the one booking

    // Seeding again never overwrites a live counter nor the marker, whatever epoch it brings.
    const auto again = seed({"t", "TP2K00", "2021-05-27T00:00:00Z"});
    EXPECT_EQ(again.outcome, app::SeedOutcome::kAlreadySeeded);
    EXPECT_EQ(again.marker, marker);
    EXPECT_EQ(again.countersCreated, 0);
    EXPECT_EQ(probe.integer({"HGET", "jkjav:slots", "A:20210516"}), 0);
    const auto read = run(counters.readAll());
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->marker, marker);
    EXPECT_EQ(read->counters.at("A:20210517"), 5);

    // Another campaign is refused unless forced; forcing keeps live counters but starts a new epoch.
    EXPECT_EQ(seed({"other", "TP2K01", "x"}).outcome, app::SeedOutcome::kOtherCampaign);
    EXPECT_EQ(run(counters.readAll())->marker, marker);

    // A store that lost its data refuses bookings until seeded, then references carry the new epoch.
    ASSERT_TRUE(probe.command({"FLUSHALL"}).has_value());
    EXPECT_EQ(book("900127015529", "20210517").outcome, domain::Outcome::kNotSeeded);
    EXPECT_FALSE(run(counters.readAll())->marker.has_value());
    EXPECT_EQ(seed({"t", "TP2K02", "2021-05-28T00:00:00Z"}).outcome, app::SeedOutcome::kSeeded);
    EXPECT_EQ(book("900127015529", "20210517").booking.reference, "JKTP2K020000001");
    connection->stop();
}

// A waitlist place keeps the keys it belongs to (so book.lua leaves the right queue without
// building a key); places taken before it did (no queue, bookingKey, mysejahteraId) still work.
TEST_F(RedisConnectionTest, WaitlistPlacesOldAndNewAreLeftAndPromoted) {
    auto connection = connect();
    ASSERT_TRUE(run(connectedWithin(*connection, std::chrono::seconds(5))));
    const domain::Campaign campaign = twoDayCampaign();
    RedisSlotCounters counters(connection, RedisKeys());
    RedisBookingStore store(connection, RedisKeys());
    run(counters.seed(campaign, app::SeedRequest{{"t", "TP2JVF", "2021-05-26T00:00:00Z"}, false}));
    auto book = [&](std::string id, std::string date, bool waitlist) {
        return run(store.book(draftFor(id, date), "A:" + date, waitlist, app::QueuePass{}));
    };
    auto& probe = redis_.probe();
    auto oldStylePlace = [&](const std::string& id) {
        probe.command({"RPUSH", "jkjav:waitlist:A:20210516", id});
        probe.command({"HSET", "jkjav:waiting:" + id, "slot", "A:20210516", "firstName", "Old", "lastName",
                       "Place", "address", "Addr", "location", "A", "phoneNumber", "0123456789", "date",
                       "20210516"});
    };
    ASSERT_EQ(book("900127015527", "20210516", false).outcome, domain::Outcome::kBooked);  // 16 is full now

    // New places name their queue and booking keys.
    ASSERT_EQ(book("900127015528", "20210516", true).outcome, domain::Outcome::kWaitlisted);
    EXPECT_EQ(probe.command({"HGET", "jkjav:waiting:900127015528", "queue"}), "jkjav:waitlist:A:20210516");
    EXPECT_EQ(probe.command({"HGET", "jkjav:waiting:900127015528", "bookingKey"}),
              "jkjav:booking:900127015528");
    // Booking elsewhere leaves the queue the place names.
    ASSERT_EQ(book("900127015528", "20210517", false).outcome, domain::Outcome::kBooked);
    EXPECT_EQ(probe.command({"LPOS", "jkjav:waitlist:A:20210516", "900127015528"}), "(nil)");
    EXPECT_EQ(probe.integer({"EXISTS", "jkjav:waiting:900127015528"}), 0);

    // An old place: left the same way when its person books elsewhere...
    oldStylePlace("900127015529");
    ASSERT_EQ(book("900127015529", "20210517", false).outcome, domain::Outcome::kBooked);
    EXPECT_EQ(probe.command({"LPOS", "jkjav:waitlist:A:20210516", "900127015529"}), "(nil)");
    // ...and promoted with its id and details when the slot is cancelled.
    oldStylePlace("900127015530");
    const auto cancelled = run(store.cancel("900127015527", "+60123456789", "2021-05-27T00:00:00Z"));
    ASSERT_EQ(cancelled.outcome, domain::Outcome::kCancelled);
    EXPECT_EQ(cancelled.booking.mysejahteraId, "900127015527");
    EXPECT_EQ(cancelled.booking.phoneNumber, "+60123456789");  // answered in today's form
    EXPECT_EQ(cancelled.promotedPersonId, "900127015530");
    const auto promoted = run(store.find("900127015530", "+60123456789"));
    ASSERT_EQ(promoted.outcome, domain::Outcome::kFound);
    EXPECT_EQ(promoted.booking.mysejahteraId, "900127015530");
    EXPECT_EQ(promoted.booking.firstName, "Old");
    EXPECT_EQ(promoted.booking.date, "20210516");
    EXPECT_EQ(promoted.booking.createdAt, "2021-05-27T00:00:00Z");
    EXPECT_EQ(promoted.booking.reference, "JKTP2JVF0000004");
    connection->stop();
}

TEST(RedisConnectionAuth, LogsInWithThePasswordAndNeverWithoutIt) {
    testing::TempDir dir;
    testing::RedisServer redis(dir.path(), false, 0, "s3cret");
    redis.start();
    asio::io_context context;
    auto connectWith = [&](std::string password) {
        RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(redis.port());
        endpoint.password = std::move(password);
        auto connection = RedisConnection::create(
            context.get_executor(), endpoint,
            {.backoffInitial = std::chrono::milliseconds(10), .backoffMax = std::chrono::milliseconds(50)});
        connection->start();
        return connection;
    };
    auto ping = [&](RedisConnection& connection) {
        return runBounded(context, [&]() -> asio::awaitable<RedisResult> {
            const std::array<std::string_view, 1> command{"PING"};
            co_return co_await connection.executeArgv(command);
        }());
    };

    auto right = connectWith("s3cret");
    EXPECT_TRUE(runBounded(context, connectedWithin(*right, std::chrono::seconds(5))));
    const auto pong = ping(*right);
    ASSERT_TRUE(pong.has_value());
    EXPECT_EQ(pong->view().text(), "PONG");
    right->stop();

    // A wrong password and none at all: each login is tried (Redis counts its refusals), refused,
    // tried again after a backoff and refused again; never connected, commands keep failing fast.
    for (const auto& [password, refusal] :
         {std::pair<std::string, std::string>{"guess", "WRONGPASS"}, {"", "NOAUTH"}}) {
        SCOPED_TRACE(password.empty() ? "no password" : "wrong password");
        const long long before = errorCount(redis.probe(), refusal);
        auto wrong = connectWith(password);
        EXPECT_TRUE(runUntil(context, [&] { return errorCount(redis.probe(), refusal) >= before + 2; }))
            << refusal << " refusals: " << errorCount(redis.probe(), refusal) - before;
        EXPECT_FALSE(wrong->connected());
        const auto refused = ping(*wrong);
        ASSERT_TRUE(refused.has_error());
        EXPECT_EQ(refused.error(), asio::error::not_connected);
        wrong->stop();
    }
}

}  // namespace
}  // namespace jkjav::redis
