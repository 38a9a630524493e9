// Batched bookings against real redis-servers: a batch's every answer, and what it leaves in Redis,
// is exactly what book.lua gives for the same requests one by one (run on a second Redis).
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/redis/redis_booking_store.hpp"
#include "adapters/redis/redis_slot_counters.hpp"
#include "fixtures.hpp"
#include "run_awaitable.hpp"

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;
using domain::Outcome;

using testing::runUntil;

asio::awaitable<void> waitConnected(RedisConnection& connection) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!connection.connected()) {
        timer.expires_after(std::chrono::milliseconds(10));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

// Everything in a Redis as text, keys sorted, stream entries without their (time-based) ids: two
// stores that did the same things in the same order dump alike.
constexpr const char* kDumpLua = R"(
local keys = redis.call('KEYS', '*')
table.sort(keys)
local out = {}
for _, key in ipairs(keys) do
  local kind = redis.call('TYPE', key).ok
  local value
  if kind == 'hash' then value = redis.call('HGETALL', key)
  elseif kind == 'list' then value = redis.call('LRANGE', key, 0, -1)
  elseif kind == 'zset' then value = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  elseif kind == 'string' then value = {redis.call('GET', key)}
  elseif kind == 'stream' then
    value = {}
    for _, entry in ipairs(redis.call('XRANGE', key, '-', '+')) do value[#value + 1] = table.concat(entry[2], ' ') end
  else value = {kind} end
  out[#out + 1] = key .. ' = ' .. table.concat(value, ' ')
end
return table.concat(out, '\n')
)";

// One request of a batch, and a label for the failure message.
struct Request {
    std::string label;
    std::string person;
    std::string date;  // of location A
    bool waitlist = false;
    std::string queueMember;
};

std::string describe(const app::StoreResult& result) {
    return std::string(domain::spellingOf(result.outcome).scriptText) + " ref=" + result.booking.reference +
           " id=" + result.booking.mysejahteraId + " date=" + result.booking.date +
           " position=" + std::to_string(result.waitlistPosition);
}
// One Redis with a connection and a store on it.
class Side {
  public:
    Side(asio::io_context& context, std::size_t batchMax) {
        redis_.start();
        RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(redis_.port());
        connection_ = RedisConnection::create(context.get_executor(), endpoint);
        connection_->start();
        store_.emplace(connection_, RedisKeys(), batchMax);
    }
    ~Side() { connection_->stop(); }

    testing::RedisProbe& probe() { return redis_.probe(); }
    RedisConnection& connection() { return *connection_; }
    RedisBookingStore& store() { return *store_; }
    std::string dump() { return probe().command({"EVAL", kDumpLua, "0"}).value_or("(no answer)"); }

  private:
    testing::TempDir dir_;
    testing::RedisServer redis_{dir_.path()};
    std::shared_ptr<RedisConnection> connection_;
    std::optional<RedisBookingStore> store_;
};

class BookingBatchTest : public ::testing::Test {
  protected:
    // Location A: two seats on the 16th (the last wanted by three), five on the 17th, one on the 18th.
    static domain::Campaign campaign() {
        return domain::Campaign(
            "t", {}, {{"A", "A", "", {{{2021, 5, 16}, 2}, {{2021, 5, 17}, 5}, {{2021, 5, 18}, 1}}}},
            std::nullopt);
    }
    static domain::Booking draftFor(const Request& request) {
        return {request.person,        "F" + request.person, "L", "Addr", "A", "0123456789", request.date, "",
                "2021-05-26T01:02:03Z"};
    }

    template <class T>
    T run(asio::awaitable<T> work) {
        std::optional<T> result;
        asio::co_spawn(context_, std::move(work), [&](std::exception_ptr error, T value) {
            if (error) std::rethrow_exception(error);
            result.emplace(std::move(value));
        });
        if (!runUntil(context_, [&] { return result.has_value(); }))
            throw std::runtime_error("the coroutine did not finish within the test's patience");
        return std::move(*result);
    }
    void run(asio::awaitable<void> work) {
        bool done = false;
        asio::co_spawn(context_, std::move(work), [&](std::exception_ptr error) {
            if (error) std::rethrow_exception(error);
            done = true;
        });
        if (!runUntil(context_, [&] { return done; })) throw std::runtime_error("not connected in time");
    }

    void prepare(Side& side) {
        run(waitConnected(side.connection()));
        RedisSlotCounters counters(std::shared_ptr<RedisConnection>(&side.connection(), [](auto*) {}),
                                   RedisKeys());
        const auto seeded =
            run(counters.seed(campaign(), app::SeedRequest{{"t", "TP2JVF", "2021-05-26T00:00:00Z"}, false}));
        ASSERT_EQ(seeded.outcome, app::SeedOutcome::kSeeded);
        // The waiting room's admissions: one valid until 2100, one long expired.
        side.probe().command({"ZADD", "jkjav:queue:admitted", "4102444800000", "m-ok", "1000", "m-expired"});
    }

    // All of `requests` at once on the batched side: the first goes alone, those after it arrive
    // while it is in flight. Answers in the order of `requests`.
    std::vector<app::StoreResult> together(RedisBookingStore& store, const std::vector<Request>& requests) {
        std::vector<domain::Booking> drafts;
        for (const auto& request : requests) drafts.push_back(draftFor(request));
        std::vector<std::optional<app::StoreResult>> results(requests.size());
        std::size_t finished = 0;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            asio::co_spawn(
                context_,
                [&, i]() -> asio::awaitable<void> {
                    results[i] = co_await store.book(drafts[i], "A:" + requests[i].date, requests[i].waitlist,
                                                     app::QueuePass(requests[i].queueMember));
                    ++finished;
                },
                [](std::exception_ptr error) {
                    if (error) std::rethrow_exception(error);
                });
        }
        if (!runUntil(context_, [&] { return finished == requests.size(); }))
            throw std::runtime_error("the batch did not finish within the test's patience");
        std::vector<app::StoreResult> answers;
        for (auto& result : results) answers.push_back(std::move(*result));
        return answers;
    }

    // The same requests one after another, each its own book.lua call.
    std::vector<app::StoreResult> oneByOne(RedisBookingStore& store, const std::vector<Request>& requests) {
        std::vector<app::StoreResult> answers;
        for (const auto& request : requests) {
            const domain::Booking draft = draftFor(request);
            answers.push_back(run(store.book(draft, "A:" + request.date, request.waitlist,
                                             app::QueuePass(request.queueMember))));
        }
        return answers;
    }

    asio::io_context context_;
};

TEST_F(BookingBatchTest, EveryAnswerAndTheStoreAreAsIfTheBookingsCameOneByOne) {
    Side batched(context_, 64);
    Side sequential(context_, 1);
    prepare(batched);
    prepare(sequential);
    const std::vector<Request> requests{
        {"plug: alone, the others arrive while it is in flight", "900000000000", "20210517"},
        {"first of the 16th", "900000000001", "20210516"},
        {"repeat of it", "900000000001", "20210516"},
        {"new person, other date", "900000000002", "20210517"},
        {"same person, another slot", "900000000002", "20210516"},
        {"unknown slot", "900000000003", "20210599"},
        {"last seat of the 16th, first of three", "900000000004", "20210516"},
        {"last seat of the 16th, second of three", "900000000005", "20210516"},
        {"last seat of the 16th, third of three", "900000000006", "20210516"},
        {"waits for the 16th", "900000000007", "20210516", true},
        {"waits for the 16th too", "900000000008", "20210516", true},
        {"the first waiter books elsewhere", "900000000007", "20210517"},
        {"a new waiter after them", "900000000009", "20210516", true},
        {"waiter again: same place", "900000000008", "20210516", true},
        {"the one seat of the 18th", "900000000010", "20210518"},
        {"the 18th is full now", "900000000011", "20210518"},
        {"admitted by the waiting room", "900000000012", "20210517", false, "m-ok"},
        {"the admission was used up", "900000000013", "20210517", false, "m-ok"},
        {"an expired admission", "900000000014", "20210517", false, "m-expired"},
        {"a repeat needs no admission", "900000000012", "20210517", false, "m-expired"},
        {"first repeat once more", "900000000001", "20210516"},
    };
    const auto got = together(batched.store(), requests);
    const auto expected = oneByOne(sequential.store(), requests);

    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        SCOPED_TRACE(requests[i].label);
        EXPECT_EQ(got[i].outcome, expected[i].outcome) << describe(got[i]) << " vs " << describe(expected[i]);
        EXPECT_EQ(got[i].booking, expected[i].booking) << describe(got[i]) << " vs " << describe(expected[i]);
        EXPECT_EQ(got[i].waitlistPosition, expected[i].waitlistPosition);
        EXPECT_NE(got[i].outcome, Outcome::kStoreUnavailable);
    }
    EXPECT_EQ(batched.dump(), sequential.dump());

    // The model agrees with what the rules say (not only with itself)...
    EXPECT_EQ(expected[2].outcome, Outcome::kAlreadyHeld);
    EXPECT_EQ(expected[2].booking.reference, expected[1].booking.reference);
    EXPECT_EQ(expected[4].outcome, Outcome::kAlreadyBooked);
    EXPECT_EQ(expected[5].outcome, Outcome::kUnknownSlot);
    EXPECT_EQ(expected[6].outcome, Outcome::kBooked);
    EXPECT_EQ(expected[7].outcome, Outcome::kFull);
    EXPECT_EQ(expected[8].outcome, Outcome::kFull);
    EXPECT_EQ(expected[12].waitlistPosition, 2);  // the first waiter left for the 17th
    EXPECT_EQ(expected[15].outcome, Outcome::kFull);
    EXPECT_EQ(expected[16].outcome, Outcome::kBooked);
    EXPECT_EQ(expected[17].outcome, Outcome::kQueueRequired);
    EXPECT_EQ(expected[18].outcome, Outcome::kQueueRequired);
    EXPECT_EQ(expected[19].outcome, Outcome::kAlreadyHeld);
    EXPECT_EQ(batched.probe().integer({"HGET", "jkjav:slots", "A:20210516"}), 0);  // never oversold
    EXPECT_EQ(batched.probe().integer({"XLEN", "jkjav:outbox"}), 7);  // one event for each booking
    // ...and the batched side really batched: the plug alone, then everyone else in one call.
    const auto& stats = batched.store().batchStats();
    EXPECT_EQ(stats.calls, 2u);
    EXPECT_EQ(stats.largest, requests.size() - 1);
}

TEST_F(BookingBatchTest, ABatchLargerThanTheBoundGoesInSeveralCalls) {
    Side batched(context_, 4);
    prepare(batched);
    std::vector<Request> requests;
    for (int i = 0; i < 11; ++i)
        requests.push_back({"person " + std::to_string(i), std::to_string(900000000100 + i), "20210517"});
    const auto got = together(batched.store(), requests);
    int booked = 0, full = 0;
    for (const auto& result : got) {
        booked += result.outcome == Outcome::kBooked;
        full += result.outcome == Outcome::kFull;
    }
    EXPECT_EQ(booked, 5);
    EXPECT_EQ(full, 6);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(got[i].outcome, Outcome::kBooked) << i;  // first come, first served
    const auto& stats = batched.store().batchStats();
    EXPECT_EQ(stats.bookings, 11u);
    EXPECT_EQ(stats.largest, 4u);
    EXPECT_EQ(stats.calls, 4u);  // 1 alone, then 4, 4 and 2
}

// A booking whose steps fail in Redis (here a counter that is no number) fails alone, as it would
// have one by one; the bookings after it in the batch still go through.
TEST_F(BookingBatchTest, ABookingThatFailsInRedisFailsAloneAndTheRestOfTheBatchGoesOn) {
    Side batched(context_, 64);
    Side sequential(context_, 1);
    prepare(batched);
    prepare(sequential);
    for (Side* side : {&batched, &sequential})
        side->probe().command({"HSET", "jkjav:slots", "A:20210518", "many"});
    const std::vector<Request> requests{
        {"plug", "900000000200", "20210517"},
        {"before the broken counter", "900000000201", "20210517"},
        {"the broken counter", "900000000202", "20210518"},
        {"after the broken counter", "900000000203", "20210517"},
    };
    const auto got = together(batched.store(), requests);
    const auto expected = oneByOne(sequential.store(), requests);
    for (std::size_t i = 0; i < requests.size(); ++i) {
        SCOPED_TRACE(requests[i].label);
        EXPECT_EQ(got[i].outcome, expected[i].outcome) << describe(got[i]) << " vs " << describe(expected[i]);
        EXPECT_EQ(got[i].booking, expected[i].booking);
    }
    EXPECT_EQ(expected[2].outcome, Outcome::kStoreUnavailable);
    EXPECT_EQ(got[3].outcome, Outcome::kBooked);
    EXPECT_EQ(batched.dump(), sequential.dump());
    EXPECT_EQ(batched.store().batchStats().largest, requests.size() - 1);
}

// A batch takes its references from one INCR and counts on (book.lua's nextReferenceNumber): when
// that INCR fails (a sequence that is no number), each booking of the batch fails at it as it
// would have one by one, every one of them having taken its seat first, as book.lua does.
TEST_F(BookingBatchTest, ABrokenReferenceSequenceFailsEveryBookingAsOneByOne) {
    Side batched(context_, 64);
    Side sequential(context_, 1);
    prepare(batched);
    prepare(sequential);
    for (Side* side : {&batched, &sequential}) side->probe().command({"SET", "jkjav:seq", "broken"});
    const std::vector<Request> requests{
        {"plug", "900000000300", "20210517"},
        {"first of the batch", "900000000301", "20210517"},
        {"second of the batch", "900000000302", "20210517"},
        {"the same person again: no booking was stored", "900000000302", "20210517"},
    };
    const auto got = together(batched.store(), requests);
    const auto expected = oneByOne(sequential.store(), requests);
    for (std::size_t i = 0; i < requests.size(); ++i) {
        SCOPED_TRACE(requests[i].label);
        EXPECT_EQ(got[i].outcome, expected[i].outcome) << describe(got[i]) << " vs " << describe(expected[i]);
        EXPECT_EQ(got[i].outcome, Outcome::kStoreUnavailable) << describe(got[i]);
    }
    EXPECT_EQ(batched.dump(), sequential.dump());
    EXPECT_EQ(batched.store().batchStats().largest, requests.size() - 1);
}

}  // namespace
}  // namespace jkjav::redis
