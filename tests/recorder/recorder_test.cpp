// jkjav-recorder against a real PostgreSQL (initdb'd by the fixture) and the dev broker: each
// event's effect, exactly once in effect, and the faults of issue 14.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>

#include "case_names.hpp"
#include "fixtures.hpp"
#include "http_client.hpp"
#include "kafka_probe.hpp"
#include "postgres_server.hpp"
#include "recorder_fixtures.hpp"

namespace jkjav::testing {
namespace {

using namespace std::chrono_literals;

long long count(const std::string& url, const std::string& query) {
    const auto value = sqlValue(url, query);
    return value ? std::stoll(*value) : -1;
}

class Recorder : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        postgres_ = new PostgresServer();
        postgres_->start();
    }
    static void TearDownTestSuite() {
        delete postgres_;
        postgres_ = nullptr;
    }

    void SetUp() override {
        static std::atomic<int> databases{0};
        database_ = postgres_->createDatabase("recorder_" + std::to_string(databases++));
        broker_ = std::make_unique<DevBroker>(workDir_.path(), 1, std::vector<std::string>{"--port", "0"});
        producer_ = std::make_unique<EventProducer>(broker_->bootstrap());
        recorder_ = std::make_unique<RecorderProcess>(database_, broker_->bootstrap());
        recorder_->start();
    }

    // Waits until `query` answers `expected` (a count); the verdict is the value, not the time.
    long long awaitCount(const std::string& query, long long expected,
                         std::chrono::milliseconds deadline = 30s) {
        long long seen = -1;
        eventually(
            [&] {
                seen = count(database_, query);
                return seen == expected;
            },
            deadline);
        return seen;
    }

    // Every booking of `references` exactly once, nothing else, every event recorded once.
    void expectExactlyOnce(long long bookings, long long events) {
        EXPECT_EQ(awaitCount("SELECT count(*) FROM processed_events", events), events);
        EXPECT_EQ(count(database_, "SELECT count(*) FROM bookings"), bookings);
        EXPECT_EQ(count(database_, "SELECT count(DISTINCT reference) FROM bookings"), bookings);
        EXPECT_EQ(count(database_, "SELECT count(DISTINCT event_id) FROM processed_events"), events);
    }

    void storeGoesAwayMidStream(bool crash);

    static PostgresServer* postgres_;
    TempDir workDir_;
    std::string database_;
    std::unique_ptr<DevBroker> broker_;
    std::unique_ptr<EventProducer> producer_;
    std::unique_ptr<RecorderProcess> recorder_;
};
PostgresServer* Recorder::postgres_ = nullptr;

TEST_F(Recorder, CreatedEventInsertsAnActiveBookingWithEveryField) {
    producer_->send({createdEvent(1, "PWTC", "20210516")});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 1), 1);
    const auto rows = sqlRows(database_,
                              "SELECT reference, person_id, first_name, last_name, phone, address, location, "
                              "to_char(date, 'YYYY-MM-DD'), created_at AT TIME ZONE 'UTC', cancelled_at, "
                              "cancel_reason FROM bookings");
    ASSERT_EQ(rows.size(), 1u);
    const std::vector<std::string> expected{"JKTEST0000001",       myKadFor(1),    "First1", "Last",
                                            "+60123456789",        "Kuala Lumpur", "PWTC",   "2021-05-16",
                                            "2021-05-26 01:02:03", "NULL",         "NULL"};
    EXPECT_EQ(rows[0], expected);
    EXPECT_EQ(sqlValue(database_,
                       "SELECT booked FROM booked_counts WHERE location = 'PWTC' AND date = '2021-05-16'"),
              "1");
    EXPECT_EQ(recorder_->metric(R"(jkjav_recorder_events_recorded_total{type="booking.created"})"), 1.0);
}

TEST_F(Recorder, CancellationByThePersonEndsTheBookingWithoutAReason) {
    const auto created = createdEvent(2);
    producer_->send({created, cancelledEvent(created)});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 2), 2);
    EXPECT_EQ(sqlValue(database_, "SELECT cancelled_at AT TIME ZONE 'UTC' FROM bookings"),
              "2021-05-27 04:05:06");
    EXPECT_EQ(sqlValue(database_, "SELECT cancel_reason FROM bookings"), std::nullopt);
    EXPECT_EQ(count(database_, "SELECT count(*) FROM booked_counts"), 0);
}

TEST_F(Recorder, OperatorCancellationKeepsItsReason) {
    const auto created = createdEvent(3);
    producer_->send({created});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 1), 1);
    producer_->send({cancelledEvent(created, "registered twice")});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings WHERE cancelled_at IS NOT NULL", 1), 1);
    EXPECT_EQ(sqlValue(database_, "SELECT cancel_reason FROM bookings"), "registered twice");
}

// A promotion from the waitlist (or after an adjustment) is a booking.created of the person
// promoted, right after the cancellation that freed the seat: both land, in one slot.
TEST_F(Recorder, PromotionAfterACancellationTakesTheSeat) {
    const auto first = createdEvent(4, "UM", "20210607");
    producer_->send({first});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 1), 1);
    producer_->send({cancelledEvent(first), createdEvent(5, "UM", "20210607")});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 3), 3);
    EXPECT_EQ(sqlValue(database_, "SELECT person_id FROM bookings WHERE cancelled_at IS NULL"), myKadFor(5));
    EXPECT_EQ(sqlValue(database_, "SELECT booked FROM booked_counts WHERE location = 'UM'"), "1");
}

// The partial unique index allows one active booking per person: a person who cancelled and booked
// again has two rows, one of them active.
TEST_F(Recorder, BookingAgainAfterCancellingLeavesOneActiveBooking) {
    auto first = createdEvent(6);
    auto second = createdEvent(6, "UM", "20210607", "test-second-6");
    second.booking.reference = "JKTEST0000099";
    producer_->send({first, cancelledEvent(first), second});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 3), 3);
    EXPECT_EQ(count(database_, "SELECT count(*) FROM bookings"), 2);
    EXPECT_EQ(sqlValue(database_, "SELECT reference FROM bookings WHERE cancelled_at IS NULL"),
              "JKTEST0000099");
}

TEST_F(Recorder, RedeliveredEventChangesNothing) {
    const auto created = createdEvent(7);
    const auto cancelled = cancelledEvent(created, "first reason");
    producer_->send({created, cancelled});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 2), 2);
    const auto before = sqlRows(database_, "SELECT * FROM bookings");
    // The relay sends the same events again (same eventIds), as at-least-once delivery may.
    auto again = cancelled;
    again.occurredAt = "2021-06-01T00:00:00Z";  // even were a field to differ, the eventId decides
    producer_->send({created, again});
    ASSERT_TRUE(eventually(
        [&] {
            return recorder_->metric(R"(jkjav_recorder_events_skipped_total{reason="duplicate"})") == 2.0;
        },
        30s));
    EXPECT_EQ(sqlRows(database_, "SELECT * FROM bookings"), before);
    expectExactlyOnce(1, 2);
}

// Events of one person arrive in order, but should a cancellation come first (a replayed topic, a
// producer's retry), it writes the whole booking as cancelled: a tombstone the creation completes
// with its time and never revives.
TEST_F(Recorder, CancellationBeforeItsCreationLeavesATombstoneTheCreationCompletes) {
    const auto created = createdEvent(8);
    producer_->send({cancelledEvent(created, "duplicate")});
    ASSERT_EQ(
        awaitCount("SELECT count(*) FROM bookings WHERE created_at IS NULL AND cancelled_at IS NOT NULL", 1),
        1);
    producer_->send({created});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 2), 2);
    EXPECT_EQ(count(database_,
                    "SELECT count(*) FROM bookings WHERE created_at IS NOT NULL AND cancelled_at IS "
                    "NOT NULL AND cancel_reason = 'duplicate'"),
              1);
    EXPECT_EQ(count(database_, "SELECT count(*) FROM booked_counts"), 0);
}

TEST_F(Recorder, CancellationBeforeItsCreationInOneBatch) {
    const auto created = createdEvent(9);
    producer_->send({cancelledEvent(created), created});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 2), 2);
    EXPECT_EQ(count(database_,
                    "SELECT count(*) FROM bookings WHERE created_at IS NOT NULL AND cancelled_at IS "
                    "NOT NULL"),
              1);
}

// Events of two bookings of one person can cross (one claimed from a crashed relay and published
// after a newer one): person 14 booked A, cancelled it, booked B, but A's cancellation comes last.
// The older booking is taken as ended when the newer arrives; its cancellation then sets the real
// time and reason. Never two active bookings, and B is the one active, whichever order.
struct Crossed {
    std::string label;
    bool newerFirst;  // B's creation before A's too
    friend void PrintTo(const Crossed& c, std::ostream* out) { *out << c.label; }
};

class CrossedEvents : public Recorder, public ::testing::WithParamInterface<Crossed> {};

TEST_P(CrossedEvents, LeaveTheNewerBookingActiveAndTheOlderCancelledByItsOwnEvent) {
    auto a = createdEvent(14, "PWTC", "20210516", "test-14-a");
    auto b = createdEvent(14, "UM", "20210607", "test-14-b");
    b.booking.reference = "JKTEST0000098";
    b.occurredAt = "2021-05-26T03:00:00Z";
    auto cancelA = cancelledEvent(a, "moved to UM", "test-14-cancel-a");
    cancelA.occurredAt = "2021-05-26T02:00:00Z";
    const std::vector<domain::BookingEvent> creations =
        GetParam().newerFirst ? std::vector{b, a} : std::vector{a, b};
    for (const auto& event : creations) {
        producer_->send({event});
        eventually([&] { return count(database_, "SELECT count(*) FROM processed_events") > 0; });
    }
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 2), 2);
    EXPECT_EQ(sqlValue(database_, "SELECT reference FROM bookings WHERE cancelled_at IS NULL"),
              "JKTEST0000098");
    producer_->send({cancelA});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM processed_events", 3), 3);
    EXPECT_EQ(
        sqlRows(database_,
                "SELECT reference, cancelled_at AT TIME ZONE 'UTC', cancel_reason FROM bookings ORDER BY "
                "reference"),
        (std::vector<std::vector<std::string>>{{"JKTEST0000014", "2021-05-26 02:00:00", "moved to UM"},
                                               {"JKTEST0000098", "NULL", "NULL"}}));
}

INSTANTIATE_TEST_SUITE_P(Recorder, CrossedEvents,
                         ::testing::Values(Crossed{"older creation first", false},
                                           Crossed{"newer creation first", true}),
                         ByLabel());

TEST_F(Recorder, MessageThatIsNoBookingEventIsSkippedNotStuckOn) {
    producer_->sendRaw(myKadFor(10), "not json");
    producer_->send({createdEvent(10)});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 1), 1);
    EXPECT_TRUE(eventually([&] {
        return recorder_->metric(R"(jkjav_recorder_events_skipped_total{reason="malformed"})") == 1.0;
    }));
}

TEST_F(Recorder, ExportsLagBatchesAndHealthOnItsOwnPort) {
    producer_->send({createdEvent(11), createdEvent(12)});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 2), 2);
    HttpClient client(recorder_->port());
    const auto health = client.get("/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_NE(health.body.find(R"("database":"UP")"), std::string::npos) << health.body;
    EXPECT_TRUE(eventually([&] { return recorder_->metric("jkjav_recorder_consumer_lag") == 0.0; }));
    EXPECT_GE(recorder_->metric("jkjav_recorder_batch_size_count").value_or(0), 1.0);
    EXPECT_GE(recorder_->metric("jkjav_recorder_transaction_duration_seconds_count").value_or(0), 1.0);
    EXPECT_EQ(client.get("/nothing").status, 404);
}

TEST_F(Recorder, LogsNeverHoldAWholeIdOrPhone) {
    producer_->sendRaw(myKadFor(13), "{\"booking\":{\"mysejahteraId\":\"" + myKadFor(13) + "\"}}");
    producer_->send({createdEvent(13)});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 1), 1);
    ASSERT_EQ(recorder_->stop(), 0);
    std::ifstream log(recorder_->logFile());
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("skipping a message"), std::string::npos);
    EXPECT_EQ(text.find(myKadFor(13)), std::string::npos) << text;
    EXPECT_EQ(text.find("60123456789"), std::string::npos) << text;
}

TEST_F(Recorder, SigtermCommitsAndLeavesTheGroupSoARestartRereadsNothing) {
    std::vector<domain::BookingEvent> events;
    for (int n = 100; n < 300; ++n) events.push_back(createdEvent(n));
    producer_->send(events);
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 200), 200);
    ASSERT_EQ(recorder_->stop(), 0);
    recorder_->start();
    producer_->send({createdEvent(300)});
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 201), 201);
    // Committed offsets: the new process started after them, so nothing came twice.
    EXPECT_EQ(recorder_->metric(R"(jkjav_recorder_events_skipped_total{reason="duplicate"})"), 0.0);
}

// Recorders starting together on an empty database: the schema is migrated once (the advisory
// lock), and as one consumer group they share the partitions, every event recorded once.
TEST_F(Recorder, RecordersStartingTogetherMigrateOnceAndShareTheTopic) {
    const std::string fresh = postgres_->createDatabase("recorder_together");
    std::vector<std::unique_ptr<RecorderProcess>> recorders;
    for (int i = 0; i < 3; ++i) {
        recorders.push_back(std::make_unique<RecorderProcess>(
            fresh, broker_->bootstrap(), std::map<std::string, std::string>{{"RECORDER_GROUP", "together"}}));
    }
    for (auto& recorder : recorders) recorder->launch();
    for (auto& recorder : recorders) recorder->awaitReady();
    EXPECT_EQ(sqlValue(fresh, "SELECT count(*) FROM schema_migrations"), "1");
    std::vector<domain::BookingEvent> events;
    for (int n = 7000; n < 7600; ++n) events.push_back(createdEvent(n));
    producer_->send(events);
    database_ = fresh;  // expectExactlyOnce and awaitCount look here
    expectExactlyOnce(600, 600);
    for (auto& recorder : recorders) EXPECT_EQ(recorder->stop(), 0);
}

// --- Faults: afterwards every booking is there exactly once, nothing extra. ---

// PostgreSQL stops while a stream is being recorded (the first half may be in a transaction when
// it goes), and the second half arrives while it is down: the recorder must fail to store it
// (seen in its metrics), keep it uncommitted, and record everything once PostgreSQL is back.
void Recorder::storeGoesAwayMidStream(bool crash) {
    std::vector<domain::BookingEvent> before;
    for (int n = 1000; n < 1500; ++n) before.push_back(createdEvent(n));
    producer_->send(before);
    if (crash) {
        postgres_->kill();
    } else {
        postgres_->stop();
    }
    std::vector<domain::BookingEvent> during;
    for (int n = 1500; n < 2000; ++n) during.push_back(createdEvent(n));
    producer_->send(during);
    ASSERT_TRUE(eventually(
        [&] { return recorder_->metric("jkjav_recorder_store_failures_total").value_or(0) >= 1; }, 30s));
    EXPECT_EQ(recorder_->metric("jkjav_recorder_database_up"), 0.0);
    postgres_->start();
    expectExactlyOnce(1000, 1000);
    EXPECT_TRUE(eventually([&] { return recorder_->metric("jkjav_recorder_database_up") == 1.0; }));
}

TEST_F(Recorder, PostgresRestartedMidStream) { storeGoesAwayMidStream(false); }

TEST_F(Recorder, PostgresKilledMidStream) { storeGoesAwayMidStream(true); }

// Small batches, so the kill lands while there is recorded work not yet committed to the group.
TEST_F(Recorder, RecorderKilledAndRestarted) {
    ASSERT_EQ(recorder_->stop(), 0);
    recorder_ = std::make_unique<RecorderProcess>(
        database_, broker_->bootstrap(), std::map<std::string, std::string>{{"RECORDER_BATCH_MAX", "50"}});
    recorder_->start();
    std::vector<domain::BookingEvent> events;
    for (int n = 3000; n < 5000; ++n) events.push_back(createdEvent(n));
    producer_->send(events);
    eventually([&] { return count(database_, "SELECT count(*) FROM bookings") > 0; });
    recorder_->kill();
    recorder_->start();
    std::vector<domain::BookingEvent> more;
    for (int n = 5000; n < 5500; ++n) more.push_back(createdEvent(n));
    producer_->send(more);
    expectExactlyOnce(2500, 2500);
}

// The dev broker keeps messages in memory only: restarted, it is empty, and the consumer group's
// offsets are gone with it. What this can and does assert: what was recorded stays recorded, once;
// the recorder finds the broker again at its bootstrap address, starts over from the (new, empty)
// topic's beginning and records what comes after, for good (the last event, sent once the rest is
// in); and the relay's redelivery of events it was not sure of (the same eventIds, into the new
// broker) changes nothing. What it cannot: events the broker lost before the recorder read them are
// gone with it (a real Kafka keeps them; jkjav-admin reconcile reports the bookings they were).
// Fewer events after the restart than before in every partition, so the recorder's old position is
// out of range on the new broker and resets to its start, as it would with Kafka's retention having
// dropped the old log.
// The restarted broker has the same id at another port, which librdkafka's group coordinator never
// follows (group_watch.hpp): the recorder's consumer drops out of the group and only a new one gets
// partitions again. What the old one recorded after the restart was never committed (the group was
// out of reach), so the new one reads it again: more duplicates than the relay's 30.
TEST_F(Recorder, BrokerRestarted) {
    std::vector<domain::BookingEvent> before;
    for (int n = 6000; n < 6300; ++n) before.push_back(createdEvent(n));
    producer_->send(before);
    ASSERT_EQ(awaitCount("SELECT count(*) FROM bookings", 300), 300);

    const std::string bootstrap = broker_->bootstrap();
    const std::string port = bootstrap.substr(bootstrap.rfind(':') + 1);
    producer_.reset();
    broker_->kill();
    broker_ = std::make_unique<DevBroker>(workDir_.path(), 1, std::vector<std::string>{"--port", port});
    ASSERT_EQ(broker_->bootstrap(), bootstrap);
    producer_ = std::make_unique<EventProducer>(broker_->bootstrap());
    std::vector<domain::BookingEvent> after(before.end() - 30, before.end());  // redelivered by the relay
    for (int n = 6300; n < 6330; ++n) after.push_back(createdEvent(n));
    producer_->send(after);
    expectExactlyOnce(330, 330);
    producer_->send({createdEvent(6330)});
    EXPECT_EQ(awaitCount("SELECT count(*) FROM bookings", 331), 331);
    EXPECT_TRUE(eventually([&] {
        return recorder_->metric(R"(jkjav_recorder_events_skipped_total{reason="duplicate"})").value_or(0) >=
               30.0;
    }));
}

}  // namespace
}  // namespace jkjav::testing
