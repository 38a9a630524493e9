// The waiting room's scripts against a real redis-server: admit.lua's sums held to a table of cases,
// the draw at opensAt is a uniform shuffle and reads back in pages, join and place read the total
// the last round stored, admission rounds keep the cap under concurrent bookings, and two admitters
// keep one rate.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/queue/hmac_queue_tickets.hpp"
#include "adapters/queue/redis_queue_store.hpp"
#include "adapters/redis/redis_booking_store.hpp"
#include "adapters/redis/redis_record.hpp"
#include "case_names.hpp"
#include "fixtures.hpp"

namespace jkjav::embedded {
extern const std::string_view kQueueAdmitLua;
}  // namespace jkjav::embedded

namespace jkjav::queue {
namespace {

namespace asio = boost::asio;
constexpr std::chrono::seconds kPatience{60};

class QueueStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        redis_.start();
        redis::RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(redis_.port());
        for (auto& connection : connections_) {
            connection = redis::RedisConnection::create(context_.get_executor(), endpoint, {});
            connection->start();
        }
        probe().command({"HSET", "jkjav:campaign", "id", "t", "epoch", "TQ", "seededAt", "now"});
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        auto connected = [&] { return connections_[0]->connected() && connections_[1]->connected(); };
        while (!connected() && std::chrono::steady_clock::now() < end)
            context_.run_one_for(std::chrono::milliseconds(10));
        ASSERT_TRUE(connected());
    }
    void TearDown() override {
        for (auto& connection : connections_) connection->stop();
        context_.run_for(std::chrono::milliseconds(50));
    }

    // Runs `work` on the test's io_context to completion, within kPatience.
    template <class T>
    T run(asio::awaitable<T> work) {
        std::optional<T> result;
        asio::co_spawn(context_, std::move(work), [&](std::exception_ptr error, T value) {
            if (error) std::rethrow_exception(error);
            result.emplace(std::move(value));
        });
        const auto end = std::chrono::steady_clock::now() + kPatience;
        context_.restart();
        while (!result && std::chrono::steady_clock::now() < end)
            context_.run_one_for(std::chrono::milliseconds(100));
        if (!result) throw std::runtime_error("the coroutine did not finish within the test's patience");
        return std::move(*result);
    }
    std::int64_t redisNowMs() {
        auto time = probe().command(
            {"EVAL", "local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000)", "0"});
        return std::stoll(time.value_or("0"));
    }
    testing::RedisProbe& probe() { return redis_.probe(); }

    // Two servers' stores, one on each connection: a queue store and a booking store each.
    struct TwoServers {
        std::array<std::unique_ptr<RedisQueueStore>, 2> stores;
        std::array<std::unique_ptr<redis::RedisBookingStore>, 2> bookings;
    };
    TwoServers twoServers(const domain::QueueSettings& settings) {
        TwoServers servers;
        for (int i = 0; i < 2; ++i) {
            servers.stores[i] =
                std::make_unique<RedisQueueStore>(connections_[i], redis::RedisKeys(), settings);
            servers.bookings[i] =
                std::make_unique<redis::RedisBookingStore>(connections_[i], redis::RedisKeys());
        }
        return servers;
    }
    // `people` join, alternately through either server; person n's id is idOf(n).
    template <typename IdOf>
    void joinAll(const TwoServers& servers, const HmacQueueTickets& tickets, int people, IdOf idOf) {
        for (int person = 0; person < people; ++person) {
            ASSERT_EQ(run(servers.stores[person % 2]->join(tickets.memberOf(idOf(person)), idOf(person), 0.0))
                          .outcome,
                      domain::Outcome::kFound);
        }
    }

    testing::TempDir dir_;
    testing::RedisServer redis_{dir_.path()};
    asio::io_context context_;
    std::array<std::shared_ptr<redis::RedisConnection>, 2> connections_;
};

std::int64_t factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

TEST_F(QueueStoreTest, TheDrawAtOpeningIsAUniformShuffle) {
    // Four people join before opensAt, always in the same order; over many draws each of the 24
    // orders must come up equally often. Chi-square at a fixed significance (p = 0.001, 23 degrees
    // of freedom: 49.73); the draw keys come from a seeded generator, so the verdict is the same on
    // every run.
    probe().command({"HSET", "jkjav:slots", "A:20210601", "10"});
    const std::int64_t now = redisNowMs();
    const domain::QueueSettings before{.opensAtMs = now + 3'600'000,
                                       .preQueueOpensAtMs = 0,
                                       .admitPerSecond = 10,
                                       .admissionSeconds = 60,
                                       .overAdmitFactor = 1.2};
    domain::QueueSettings opened = before;
    opened.opensAtMs = 0;  // the same queue, read as after opensAt
    RedisQueueStore preQueue(connections_[0], redis::RedisKeys(), before);
    RedisQueueStore afterOpening(connections_[0], redis::RedisKeys(), opened);
    constexpr int kPeople = 4;
    constexpr int kTrials = 2400;
    std::mt19937_64 generator(20210526);
    std::map<std::int64_t, int> orders;  // the permutation as a number -> how often it came up
    const std::array<std::string, kPeople> members{"m0", "m1", "m2", "m3"};
    for (int trial = 0; trial < kTrials; ++trial) {
        probe().command({"DEL", "jkjav:queue:lane", "jkjav:queue:state", "jkjav:queue:admitted"});
        for (const auto& member : members) {
            const auto joined = run(preQueue.join(member, "id-" + member, domain::drawKey(generator)));
            ASSERT_EQ(joined.outcome, domain::Outcome::kFound);
            ASSERT_EQ(joined.place.rank, -1) << "no rank before the draw";
        }
        std::int64_t order = 0;
        for (const auto& member : members) {
            const auto found = run(afterOpening.place(member));
            ASSERT_TRUE(found.answered);
            ASSERT_GE(found.place.rank, 0);
            order = order * kPeople + found.place.rank;
        }
        ++orders[order];
    }
    ASSERT_EQ(orders.size(), static_cast<std::size_t>(factorial(kPeople))) << "every order possible";
    const double expected = static_cast<double>(kTrials) / static_cast<double>(factorial(kPeople));
    double chiSquare = 0;
    for (const auto& [order, count] : orders) chiSquare += (count - expected) * (count - expected) / expected;
    EXPECT_LT(chiSquare, 49.73) << "the draw is not uniform";

    // After opening, arrivals rank behind the whole draw, in arrival order.
    const auto late = run(afterOpening.join("late1", "id-late1", 0.0));
    const auto later = run(afterOpening.join("late2", "id-late2", 0.0));
    EXPECT_EQ(late.place.rank, kPeople);
    EXPECT_EQ(later.place.rank, kPeople + 1);
    // One place per person: joining again answers the same one.
    EXPECT_EQ(run(afterOpening.join("late1", "id-late1", 0.0)).place.rank, kPeople);
    EXPECT_EQ(probe().integer({"ZCARD", "jkjav:queue:lane"}), kPeople + 2);
}

TEST_F(QueueStoreTest, AdmissionRoundsKeepTheCapUnderConcurrentBookings) {
    // 40 slots, factor 1.5: an admission round never leaves more than floor(1.5 x remaining)
    // admissions outstanding, while two admitters and bookers race on two connections.
    constexpr int kSlots = 40;
    constexpr int kPeople = 200;
    probe().command({"HSET", "jkjav:slots", "A:20210601", std::to_string(kSlots)});
    const domain::QueueSettings settings{.opensAtMs = 0,
                                         .preQueueOpensAtMs = 0,
                                         .admitPerSecond = 400,
                                         .admissionSeconds = 60,
                                         .overAdmitFactor = 1.5};
    const HmacQueueTickets tickets(std::string(32, 'k'));
    TwoServers servers = twoServers(settings);
    auto& stores = servers.stores;
    auto& bookings = servers.bookings;
    auto idOf = [](int person) { return "P" + std::to_string(100000 + person); };
    ASSERT_NO_FATAL_FAILURE(joinAll(servers, tickets, kPeople, idOf));

    std::vector<app::AdmissionRound> rounds;
    int booked = 0;
    int finished = 0;
    bool soldOut = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto admitter = [&](int i) -> asio::awaitable<void> {
        while (!soldOut && std::chrono::steady_clock::now() < deadline) {
            rounds.push_back(co_await stores[i]->admit());
            soldOut = soldOut || (rounds.back().answered && rounds.back().figures.remaining == 0);
        }
        ++finished;
    };
    // Each booker books every person it finds admitted, some only after a later round.
    auto booker = [&](int i) -> asio::awaitable<void> {
        while (!soldOut && std::chrono::steady_clock::now() < deadline) {
            for (int person = i; person < kPeople; person += 2) {
                const std::string member = tickets.memberOf(idOf(person));
                const auto place = co_await stores[i]->place(member);
                if (place.place.admissionExpiresAtMs < 0) continue;
                domain::Booking draft{idOf(person), "F", "L",
                                      "Addr",       "A", "+60123456789",
                                      "20210601",   "",  "2021-05-26T01:02:03Z"};
                const auto result =
                    co_await bookings[i]->book(draft, "A:20210601", false, app::QueuePass(member));
                if (result.outcome == domain::Outcome::kBooked) ++booked;
            }
        }
        ++finished;
    };
    for (int i = 0; i < 2; ++i) {
        asio::co_spawn(context_, admitter(i), asio::detached);
        asio::co_spawn(context_, booker(i), asio::detached);
    }
    const auto end = std::chrono::steady_clock::now() + kPatience;
    context_.restart();
    while (finished < 4 && std::chrono::steady_clock::now() < end)
        context_.run_one_for(std::chrono::milliseconds(100));
    ASSERT_EQ(finished, 4);

    std::int64_t admittedSomewhere = 0;
    for (const auto& round : rounds) {
        ASSERT_TRUE(round.answered);
        if (round.admittedNow == 0) continue;
        ++admittedSomewhere;
        EXPECT_LE(round.figures.outstanding,
                  domain::admissionCap(round.figures.remaining, settings.overAdmitFactor))
            << "a round left more outstanding than the cap: " << round.figures.outstanding << " with "
            << round.figures.remaining << " left";
    }
    EXPECT_GT(admittedSomewhere, 0);
    EXPECT_EQ(booked, kSlots) << "every slot sold, none twice";
    EXPECT_EQ(probe().integer({"HGET", "jkjav:slots", "A:20210601"}), 0);
    // Sold out: never more admissions than the cap at the start allowed.
    EXPECT_LE(probe().integer({"HGET", "jkjav:queue:state", "admittedTotal"}),
              domain::admissionCap(kSlots, settings.overAdmitFactor));
}

TEST_F(QueueStoreTest, TwoAdmittersAdmitAtOneRate) {
    // Two servers' tickers running rounds back to back: together they admit what one rate allows
    // over the store's clock, not twice as much.
    probe().command({"HSET", "jkjav:slots", "A:20210601", "100000"});
    const domain::QueueSettings settings{.opensAtMs = 0,
                                         .preQueueOpensAtMs = 0,
                                         .admitPerSecond = 50,
                                         .admissionSeconds = 60,
                                         .overAdmitFactor = 1.2};
    RedisQueueStore first(connections_[0], redis::RedisKeys(), settings);
    RedisQueueStore second(connections_[1], redis::RedisKeys(), settings);
    for (int person = 0; person < 500; ++person) {
        ASSERT_EQ(run(first.join("m" + std::to_string(person), "id" + std::to_string(person), 0.0)).outcome,
                  domain::Outcome::kFound);
    }
    const auto start = run(first.admit());  // the bookkeeping's starting point
    ASSERT_TRUE(start.answered);
    std::vector<app::AdmissionRound> rounds;
    int finished = 0;
    auto admitter = [&](RedisQueueStore& store) -> asio::awaitable<void> {
        while (rounds.empty() || rounds.back().figures.nowMs < start.figures.nowMs + 800)
            rounds.push_back(co_await store.admit());
        ++finished;
    };
    asio::co_spawn(context_, admitter(first), asio::detached);
    asio::co_spawn(context_, admitter(second), asio::detached);
    const auto end = std::chrono::steady_clock::now() + kPatience;
    context_.restart();
    while (finished < 2 && std::chrono::steady_clock::now() < end)
        context_.run_one_for(std::chrono::milliseconds(100));
    ASSERT_EQ(finished, 2);

    std::int64_t lastMs = start.figures.nowMs;
    std::int64_t admitted = 0;
    bool gapOverCatchUp = false;
    for (const auto& round : rounds) {
        ASSERT_TRUE(round.answered);
        gapOverCatchUp = gapOverCatchUp || round.figures.nowMs - lastMs > domain::kMaxAdmissionCatchUpMs;
        lastMs = std::max(lastMs, round.figures.nowMs);
        admitted += round.admittedNow;
    }
    const double allowed =
        settings.admitPerSecond * static_cast<double>(lastMs - start.figures.nowMs) / 1000.0;
    EXPECT_LE(static_cast<double>(admitted), std::floor(allowed) + 1) << "two admitters, twice the rate";
    // Rounds never further apart than the catch-up limit (checked from the data, not assumed):
    // then nothing was lost either.
    if (!gapOverCatchUp) EXPECT_GE(static_cast<double>(admitted), std::floor(allowed) - 1);
}

TEST_F(QueueStoreTest, TheDrawReadsBackInPagesInRankOrderWithoutLaterArrivals) {
    probe().command({"HSET", "jkjav:slots", "A:20210601", "10"});
    const domain::QueueSettings before{.opensAtMs = redisNowMs() + 3'600'000, .admitPerSecond = 10};
    domain::QueueSettings opened = before;
    opened.opensAtMs = 0;
    RedisQueueStore preQueue(connections_[0], redis::RedisKeys(), before);
    RedisQueueStore afterOpening(connections_[0], redis::RedisKeys(), opened);
    std::mt19937_64 generator(11);
    for (int person = 0; person < 7; ++person) {
        const std::string member = "d" + std::to_string(person);
        ASSERT_EQ(run(preQueue.join(member, "id-" + member, domain::drawKey(generator))).outcome,
                  domain::Outcome::kFound);
    }
    ASSERT_EQ(run(afterOpening.join("late", "id-late", 0.0)).outcome, domain::Outcome::kFound);
    const auto whole = run(afterOpening.drawn(0, 100));
    ASSERT_TRUE(whole.answered);
    ASSERT_EQ(whole.members.size(), 7U) << "only the draw, not who came after opensAt";
    for (std::size_t rank = 0; rank < whole.members.size(); ++rank) {
        EXPECT_EQ(run(afterOpening.place(whole.members[rank])).place.rank, static_cast<std::int64_t>(rank));
    }
    const auto page = run(afterOpening.drawn(5, 4));
    ASSERT_TRUE(page.answered);
    EXPECT_EQ(page.members, std::vector<std::string>(whole.members.begin() + 5, whole.members.end()));
}

TEST_F(QueueStoreTest, JoinAndPlaceReadTheTotalTheLastRoundStored) {
    // join.lua and place.lua must not sum every slot counter per call: the round does, a few times
    // a second, and stores the total.
    probe().command({"HSET", "jkjav:slots", "A:20210601", "5", "B:20210602", "4"});
    const domain::QueueSettings settings{.opensAtMs = 0, .admitPerSecond = 10, .overAdmitFactor = 1.2};
    RedisQueueStore store(connections_[0], redis::RedisKeys(), settings);
    EXPECT_EQ(run(store.join("m1", "id1", 0.0)).figures.remaining, 9) << "no round yet: summed once";
    ASSERT_EQ(run(store.admit()).figures.remaining, 9);
    probe().command({"HSET", "jkjav:slots", "A:20210601", "0"});  // sold behind the round's back
    EXPECT_EQ(run(store.place("m1")).figures.remaining, 9) << "the stored total, one round old";
    EXPECT_EQ(run(store.join("m2", "id2", 0.0)).figures.remaining, 9);
    ASSERT_EQ(run(store.admit()).figures.remaining, 4) << "the round sums exactly";
    EXPECT_EQ(run(store.place("m1")).figures.remaining, 4);
}

// admit.lua's sums, case by case, on a real Redis: the one place they exist. The time since the last
// round is set exactly through the catch-up limit (ARGV 5): the last round an hour ago, the limit at
// the case's elapsed time (or the last round an hour ahead: a clock that went back).
struct AdmitCase {
    const char* label;
    std::int64_t elapsedMs;
    double perSecond;
    double carry;
    std::int64_t remaining;
    double factor;
    std::int64_t outstanding;
    std::int64_t waiting;
    std::int64_t expectedAdmitted;
};

void PrintTo(const AdmitCase& c, std::ostream* os) {
    *os << c.label << ": " << c.elapsedMs << " ms at " << c.perSecond << "/s (carry " << c.carry << "), "
        << c.remaining << " left x " << c.factor << ", " << c.outstanding << " outstanding, " << c.waiting
        << " waiting -> " << c.expectedAdmitted;
}

class AdmitLua : public QueueStoreTest, public ::testing::WithParamInterface<AdmitCase> {};

TEST_P(AdmitLua, AdmitsWhatFellDueWithinTheCap) {
    const auto& c = GetParam();
    // Outstanding people are the first in line, admitted an hour ago for two hours; the rest wait.
    const char* kSetUp = R"(
        local t = redis.call('TIME')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        local outstanding = tonumber(ARGV[1])
        for i = 1, outstanding + tonumber(ARGV[2]) do redis.call('ZADD', KEYS[1], 1 + i, 'p' .. i) end
        for i = 1, outstanding do redis.call('ZADD', KEYS[2], now + 3600000, 'p' .. i) end
        local remaining = tonumber(ARGV[3])
        local half = math.floor(remaining / 2)
        redis.call('HSET', KEYS[4], 'A:20210601', half, 'B:20210602', remaining - half, 'C:20210603', -1)
        redis.call('HSET', KEYS[3], 'admittedUpTo', outstanding, 'lastAdmitMs', now + tonumber(ARGV[4]),
                   'carry', ARGV[5])
        return 'ok')";
    const bool clockWentBack = c.elapsedMs < 0;
    probe().command({"EVAL", kSetUp, "4", "jkjav:queue:lane", "jkjav:queue:admitted", "jkjav:queue:state",
                     "jkjav:slots", std::to_string(c.outstanding), std::to_string(c.waiting),
                     std::to_string(c.remaining), clockWentBack ? "3600000" : "-3600000",
                     std::to_string(c.carry)});
    const std::string catchUp =
        std::to_string(clockWentBack ? domain::kMaxAdmissionCatchUpMs
                                     : std::min(c.elapsedMs, domain::kMaxAdmissionCatchUpMs));
    const std::string rate = std::to_string(c.perSecond);
    const std::string factor = std::to_string(c.factor);
    const std::array<std::string_view, 12> argv{"EVAL",
                                                embedded::kQueueAdmitLua,
                                                "4",
                                                "jkjav:queue:lane",
                                                "jkjav:queue:admitted",
                                                "jkjav:queue:state",
                                                "jkjav:slots",
                                                "0",
                                                rate,
                                                "60000",
                                                factor,
                                                catchUp};
    const redis::RedisResult result = run(connections_[0]->executeArgv(argv));
    ASSERT_TRUE(result && result->view().isArray()) << (result ? result->view().text() : "no answer");
    EXPECT_EQ(redis::valueNamed(result->view(), "admittedNow").asInteger(), c.expectedAdmitted);
    EXPECT_EQ(redis::valueNamed(result->view(), "outstanding").asInteger(),
              c.outstanding + c.expectedAdmitted);
    EXPECT_EQ(redis::valueNamed(result->view(), "remaining").asInteger(), c.remaining);
}

INSTANTIATE_TEST_SUITE_P(
    Rounds, AdmitLua,
    ::testing::Values(AdmitCase{"QuarterSecondAt2000", 250, 2000, 0, 100000, 1.2, 0, 1000, 500},
                      AdmitCase{"CarryCompletesAnAdmission", 100, 5, 0.6, 100, 1.2, 0, 100, 1},
                      AdmitCase{"FractionNotYetDue", 100, 5, 0.3, 100, 1.2, 0, 100, 0},
                      AdmitCase{"CapOf100LeftIs120", 1000, 2000, 0, 100, 1.2, 0, 1000, 120},
                      AdmitCase{"CapCountsOutstanding", 1000, 2000, 0, 100, 1.2, 115, 1000, 5},
                      AdmitCase{"OverTheCapAdmitsNone", 1000, 2000, 0, 100, 1.2, 130, 1000, 0},
                      AdmitCase{"SoldOutAdmitsNone", 1000, 2000, 0, 0, 1.2, 0, 1000, 0},
                      AdmitCase{"NoMoreThanWaiting", 1000, 2000, 0, 100000, 1.2, 0, 7, 7},
                      AdmitCase{"CatchUpCappedAtOneSecond", 60000, 10, 0, 100000, 1.2, 0, 1000, 10},
                      AdmitCase{"ClockBackwardsAdmitsNone", -500, 2000, 0, 100000, 1.2, 0, 1000, 0}),
    jkjav::testing::ByLabel());

TEST_F(QueueStoreTest, OutstandingNeverExceedsTheCapOfTheLastAdmittingRoundWhileAdmittedPeopleBook) {
    // Two admitters and eight bookers race on two connections while a sampler reads, atomically,
    // what is outstanding, the cap the last admitting round used and the slots left. What holds at
    // every moment (docs/waiting-room.md, "the cap"): outstanding <= that cap, and no slot sold twice.
    constexpr int kSlots = 60;
    constexpr int kPeople = 300;
    probe().command({"HSET", "jkjav:slots", "A:20210601", "30", "B:20210601", "30"});
    const domain::QueueSettings settings{
        .opensAtMs = 0, .admitPerSecond = 300, .admissionSeconds = 60, .overAdmitFactor = 1.5};
    const HmacQueueTickets tickets(std::string(32, 'k'));
    TwoServers servers = twoServers(settings);
    auto& stores = servers.stores;
    auto& bookings = servers.bookings;
    auto idOf = [](int person) { return "P" + std::to_string(200000 + person); };
    ASSERT_NO_FATAL_FAILURE(joinAll(servers, tickets, kPeople, idOf));
    const char* kSample = R"(
        local left = 0
        for _, n in ipairs(redis.call('HVALS', KEYS[3])) do
          if tonumber(n) < 0 then return 'negative' end
          left = left + tonumber(n)
        end
        return table.concat({redis.call('ZCARD', KEYS[1]),
                             redis.call('HGET', KEYS[2], 'lastAdmissionCap') or -1, left}, ' '))";

    int booked = 0;
    int finished = 0;
    int samples = 0;
    bool soldOut = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto admitter = [&](int i) -> asio::awaitable<void> {
        while (!soldOut && std::chrono::steady_clock::now() < deadline) {
            const auto round = co_await stores[i]->admit();
            soldOut = soldOut || (round.answered && round.figures.remaining == 0);
        }
        ++finished;
    };
    auto booker = [&](int first) -> asio::awaitable<void> {
        const int i = first % 2;
        while (!soldOut && std::chrono::steady_clock::now() < deadline) {
            for (int person = first; person < kPeople; person += 8) {
                const std::string member = tickets.memberOf(idOf(person));
                const auto place = co_await stores[i]->place(member);
                if (place.place.admissionExpiresAtMs < 0) continue;
                domain::Booking draft{idOf(person), "F", "L",
                                      "Addr",       "A", "+60123456789",
                                      "20210601",   "",  "2021-05-26T01:02:03Z"};
                const std::string slot = person % 3 == 0 ? "B:20210601" : "A:20210601";
                const auto result = co_await bookings[i]->book(draft, slot, false, app::QueuePass(member));
                if (result.outcome == domain::Outcome::kBooked) ++booked;
            }
        }
        ++finished;
    };
    auto sampler = [&]() -> asio::awaitable<void> {
        while (!soldOut && std::chrono::steady_clock::now() < deadline) {
            const auto sample = probe().command(
                {"EVAL", kSample, "3", "jkjav:queue:admitted", "jkjav:queue:state", "jkjav:slots"});
            EXPECT_TRUE(sample.has_value());
            EXPECT_NE(sample.value_or(""), "negative") << "a slot sold twice";
            if (!sample || *sample == "negative") break;
            long long outstanding = 0, cap = 0, left = 0;
            std::istringstream(*sample) >> outstanding >> cap >> left;
            if (cap >= 0) {
                EXPECT_LE(outstanding, cap) << "outstanding over the last admitting round's cap";
            }
            EXPECT_LE(kSlots - left, kSlots);
            ++samples;
            co_await asio::post(context_, asio::use_awaitable);  // let the others run
        }
        ++finished;
    };
    for (int i = 0; i < 2; ++i) asio::co_spawn(context_, admitter(i), asio::detached);
    for (int i = 0; i < 8; ++i) asio::co_spawn(context_, booker(i), asio::detached);
    asio::co_spawn(context_, sampler(), asio::detached);
    const auto end = std::chrono::steady_clock::now() + kPatience;
    context_.restart();
    while (finished < 11 && std::chrono::steady_clock::now() < end)
        context_.run_one_for(std::chrono::milliseconds(100));
    ASSERT_EQ(finished, 11);
    EXPECT_GT(samples, 0);
    EXPECT_EQ(booked, kSlots) << "every slot sold, none twice";
    EXPECT_EQ(probe().integer({"HGET", "jkjav:slots", "A:20210601"}), 0);
    EXPECT_EQ(probe().integer({"HGET", "jkjav:slots", "B:20210601"}), 0);
}

}  // namespace
}  // namespace jkjav::queue
