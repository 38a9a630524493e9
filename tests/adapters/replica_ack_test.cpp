// Acknowledged means replicated, at the adapter: WAIT after bookings against a real primary and a
// real replica (stopped with SIGSTOP), two stores on two connections as two servers would be.
#include "adapters/redis/replica_ack.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "adapters/redis/redis_booking_store.hpp"
#include "adapters/redis/redis_slot_counters.hpp"
#include "case_names.hpp"
#include "fixtures.hpp"
#include "redis_replica.hpp"
#include "run_awaitable.hpp"

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;
using domain::Outcome;
using testing::runBounded;

struct FenceCase {
    const char* label;
    std::vector<Outcome> outcomes;
    bool fence;
};

// Printed by its label, so ctest names the case rather than its bytes.
void PrintTo(const FenceCase& c, std::ostream* out) { *out << c.label; }

class NeedsFence : public ::testing::TestWithParam<FenceCase> {};

TEST_P(NeedsFence, OnlyWhenEveryChangeReportedMayBeARepeat) {
    EXPECT_EQ(needsFence(GetParam().outcomes), GetParam().fence);
}

INSTANTIATE_TEST_SUITE_P(
    Calls, NeedsFence,
    ::testing::Values(FenceCase{"lone_new_booking", {Outcome::kBooked}, false},
                      FenceCase{"lone_repeat", {Outcome::kAlreadyHeld}, true},
                      FenceCase{"lone_waitlist_join", {Outcome::kWaitlisted}, true},
                      FenceCase{
                          "repeat_beside_a_new_booking", {Outcome::kAlreadyHeld, Outcome::kBooked}, false},
                      FenceCase{"refusals_only", {Outcome::kFull, Outcome::kAlreadyBooked}, false},
                      FenceCase{"repeat_beside_a_refusal", {Outcome::kFull, Outcome::kAlreadyHeld}, true},
                      FenceCase{"cancellation", {Outcome::kCancelled}, false}),
    testing::ByLabel());

class ReplicaAckTest : public ::testing::Test {
  protected:
    void SetUp() override {
        primary_.start();
        replica_ = std::make_unique<testing::RedisReplica>(replicaDir_.path(), primary_);
    }
    void TearDown() override {
        replica_->resume();
        for (const auto& connection : connections_) connection->stop();
    }

    std::shared_ptr<RedisConnection> connect() {
        RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(primary_.port());
        auto connection = RedisConnection::create(context_.get_executor(), endpoint);
        connection->start();
        connections_.push_back(connection);
        return connection;
    }
    // A store as a server with REDIS_MIN_REPLICAS=1 has: its bookings on a connection of their own.
    std::unique_ptr<RedisBookingStore> store(const ReplicaAck& ack = kAck) {
        return std::make_unique<RedisBookingStore>(connect(), RedisKeys(), kDefaultBookingBatchMax, connect(),
                                                   ack);
    }
    HostPort primaryAddress() const { return {"127.0.0.1", static_cast<std::uint16_t>(primary_.port())}; }
    app::StoreResult book(RedisBookingStore& store) {
        return runBounded(context_, store.book(draft_, "A:20210517", false, app::QueuePass{}));
    }
    // Runs the context until every connection made so far has connected (commands sent before fail).
    void allConnected() {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        auto all = [&] {
            for (const auto& connection : connections_)
                if (!connection->connected()) return false;
            return true;
        };
        context_.restart();
        while (!all() && std::chrono::steady_clock::now() < end)
            context_.run_one_for(std::chrono::milliseconds(50));
        ASSERT_TRUE(all());
    }
    void seed() {
        auto connection = connect();
        allConnected();
        RedisSlotCounters counters(connection, RedisKeys());
        const domain::Campaign campaign("t", {}, {{"A", "A", "", {{{2021, 5, 17}, 5}}}}, std::nullopt);
        const auto seeded = runBounded(
            context_,
            counters.seed(campaign, app::SeedRequest{{"t", "TP2JVF", "2021-05-26T00:00:00Z"}, false}));
        ASSERT_EQ(seeded.outcome, app::SeedOutcome::kSeeded);
    }

    inline static const ReplicaAck kAck{
        .replicas = 1, .timeout = std::chrono::milliseconds(500), .lease = nullptr};
    testing::TempDir dir_;
    testing::TempDir replicaDir_;
    testing::RedisServer primary_{dir_.path()};
    std::unique_ptr<testing::RedisReplica> replica_;
    asio::io_context context_;
    std::vector<std::shared_ptr<RedisConnection>> connections_;  // each stopped by TearDown
    const domain::Booking draft_{"900127015527",        "F", "L", "Addr", "A", "0123456789", "20210517", "",
                                 "2021-05-26T01:02:03Z"};
};

// The repeat writes nothing on its own connection: on Redis 7.2 and later, without the fence, its
// WAIT would count a replica that holds that connection's last write but not the booking the
// repeat answers with. (Redis 7.0, Debian bookworm's, moves the offset after any command, so there
// the answer is right with or without the fence.)
TEST_F(ReplicaAckTest, ARepeatOnAnotherConnectionIsConfirmedOnlyOnceTheFirstBookingIsReplicated) {
    auto first = store();
    auto second = store();  // another server's
    seed();
    allConnected();
    // The second one's last write (and its script loads) are replicated before the replica stops.
    auto someoneElse = draft_;
    someoneElse.mysejahteraId = "900127015528";
    // Retried as a client would: on a loaded machine the replica may miss even a running WAIT's timeout.
    ASSERT_TRUE(testing::eventually([&] {
        const auto outcome = runBounded(context_, second->book(someoneElse, "A:20210517", false, {})).outcome;
        return outcome == Outcome::kBooked || outcome == Outcome::kAlreadyHeld;
    }));

    replica_->pause();
    EXPECT_EQ(book(*first).outcome, Outcome::kUnconfirmed);
    const auto written = primary_.probe().command({"HGET", "jkjav:booking:900127015527", "reference"});
    ASSERT_TRUE(written && !written->empty());
    EXPECT_EQ(book(*second).outcome, Outcome::kUnconfirmed);  // HELD on the primary, not yet replicated

    replica_->resume();
    app::StoreResult confirmed;
    ASSERT_TRUE(testing::eventually([&] {
        confirmed = book(*second);
        return confirmed.outcome != Outcome::kUnconfirmed;
    }));
    EXPECT_EQ(confirmed.outcome, Outcome::kAlreadyHeld);
    EXPECT_EQ(confirmed.booking.reference, *written);
    EXPECT_EQ(replica_->probe().command({"HGET", "jkjav:booking:900127015527", "reference"}), *written);
}

// What was read on one connection is never confirmed on the next: after a reconnect (which may reach
// another primary after a failover), a WAIT there says nothing of answers the old one gave.
TEST_F(ReplicaAckTest, AConfirmationAskedForAfterAReconnectIsRefusedWithoutAsking) {
    auto connection = connect();
    allConnected();
    const std::uint64_t before = connection->session();
    EXPECT_TRUE(runBounded(context_, confirmReplicated(*connection, RedisKeys(), kAck, before)));

    ASSERT_TRUE(primary_.probe().command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}));
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    context_.restart();
    while (connection->session() == before && std::chrono::steady_clock::now() < end)
        context_.run_one_for(std::chrono::milliseconds(50));
    ASSERT_GT(connection->session(), before) << "the connection did not come back";
    allConnected();
    const auto fencesBefore = primary_.probe().command({"GET", "jkjav:replication-fence"});

    EXPECT_FALSE(runBounded(context_, confirmReplicated(*connection, RedisKeys(), kAck, before)));
    EXPECT_EQ(primary_.probe().command({"GET", "jkjav:replication-fence"}), fencesBefore)
        << "it sent a fence";
    EXPECT_TRUE(
        runBounded(context_, confirmReplicated(*connection, RedisKeys(), kAck, connection->session())));
}

// With Sentinels a write is made only under a Sentinel majority's lease naming this very primary:
// without one (none yet, ended, or naming another server) the script is never sent, so nothing is
// written that a failover elsewhere could contradict; with one, the booking is made and confirmed.
TEST_F(ReplicaAckTest, WithoutALeaseOnThisPrimaryNothingIsWritten) {
    auto lease = std::make_shared<AckLease>();
    const ReplicaAck ack{.replicas = 1, .timeout = std::chrono::milliseconds(500), .lease = lease};
    auto leased = store(ack);
    seed();
    allConnected();
    const auto booked = [&] { return primary_.probe().command({"EXISTS", "jkjav:booking:900127015527"}); };
    const auto now = AckLease::Clock::now();

    EXPECT_EQ(book(*leased).outcome, Outcome::kStoreUnavailable) << "no lease yet";
    lease->grant(AckVerdict{primaryAddress(), 1, {}}, now - std::chrono::milliseconds(1));
    EXPECT_EQ(book(*leased).outcome, Outcome::kStoreUnavailable) << "a lease that has ended";
    lease->grant(AckVerdict{HostPort{"127.0.0.1", 1}, 1, {}}, now + std::chrono::hours(1));
    EXPECT_EQ(book(*leased).outcome, Outcome::kStoreUnavailable) << "a lease naming another primary";
    EXPECT_EQ(booked(), "0");

    lease->grant(AckVerdict{primaryAddress(), 1, {}}, now + std::chrono::hours(1));
    app::StoreResult made;
    ASSERT_TRUE(testing::eventually([&] {  // retried as a client would, as above
        made = book(*leased);
        return made.outcome == Outcome::kBooked || made.outcome == Outcome::kAlreadyHeld;
    }));
    EXPECT_EQ(booked(), "1");
}

}  // namespace
}  // namespace jkjav::redis
