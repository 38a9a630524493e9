// jkjav-admin reconcile on the whole chain: bookings through jkjav-server, its relay and the dev
// broker, recorded by jkjav-recorder into a real PostgreSQL; then each kind of difference planted.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "http_client.hpp"
#include "kafka_probe.hpp"
#include "postgres_server.hpp"
#include "recorder_fixtures.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

using namespace std::chrono_literals;

class Reconcile : public ::testing::Test {
  protected:
    void SetUp() override {
        postgres_.start();
        database_ = postgres_.createDatabase("reconcile");
        redis_.start();
        recorder_ = std::make_unique<RecorderProcess>(database_, broker_.bootstrap());
        recorder_->start();
    }

    std::unique_ptr<JkjavServer> server(const std::string& brokers) {
        std::map<std::string, std::string> env{{"KAFKA_DELIVERY_TIMEOUT_MS", "1000"}};
        if (!brokers.empty()) env["KAFKA_BROKERS"] = brokers;
        auto started =
            std::make_unique<JkjavServer>(campaign_, redis_.url(), env, dir_.path() + "/server.log");
        started->start();
        return started;
    }

    // Person n books PWTC on 2021-05-(15 + n).
    void book(int port, int n) {
        HttpClient client(port);
        const std::string date = "202105" + std::to_string(15 + n);
        ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(n), "PWTC", date)).status, 200);
    }

    AdminRun reconcile(const std::string& settleMs = "0") {
        return runAdmin(
            {"reconcile", "--redis-url", redis_.url(), "--database-url", database_, "--settle-ms", settleMs});
    }

    bool recorded(long long events) {
        return eventually(
            [&] {
                return sqlValue(database_, "SELECT count(*) FROM processed_events") == std::to_string(events);
            },
            30s);
    }

    TempDir dir_;
    std::string campaign_ = dir_.write("campaign.json", kTestCampaign);
    PostgresServer postgres_;
    std::string database_;
    RedisServer redis_{dir_.path()};
    DevBroker broker_{dir_.path()};
    std::unique_ptr<RecorderProcess> recorder_;
};

TEST_F(Reconcile, AgreesOnceEveryEventIsRecorded) {
    auto api = server(broker_.bootstrap());
    for (int n = 1; n <= 4; ++n) book(api->port(), n);
    const auto cancelled = runAdmin({"cancel", myKadFor(4), "--reason", "test", "--redis-url", redis_.url()});
    ASSERT_EQ(cancelled.exitCode, 0) << cancelled.output;
    ASSERT_TRUE(recorded(5));
    const auto run = reconcile();
    EXPECT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("agree: 3 active bookings"), std::string::npos) << run.output;
}

// Without a relay the events stay in the outbox: those bookings are not in PostgreSQL yet, and
// reconcile counts them in flight instead of calling them missing.
TEST_F(Reconcile, EventsStillInTheOutboxAreNotDifferences) {
    auto api = server("");
    for (int n = 1; n <= 3; ++n) book(api->port(), n);
    const auto run = reconcile();
    EXPECT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("3 people with events in flight"), std::string::npos) << run.output;
}

TEST_F(Reconcile, ReportsEachKindOfDifferenceAndExitsNonZero) {
    auto api = server(broker_.bootstrap());
    for (int n = 1; n <= 4; ++n) book(api->port(), n);
    ASSERT_TRUE(recorded(4));
    ASSERT_EQ(reconcile().exitCode, 0);

    // Missing: person 1's row gone. Extra: someone Redis never booked. Field: person 2's last name
    // and person 3's reference. Count: Redis's counter for person 4's slot off by one.
    ASSERT_TRUE(sqlExec(database_, "DELETE FROM bookings WHERE person_id = '" + myKadFor(1) + "'"));
    ASSERT_TRUE(sqlExec(
        database_,
        "INSERT INTO bookings (reference, person_id, first_name, last_name, phone, address, location, "
        "date, created_at) VALUES ('JKEXTRA0000001', '" +
            myKadFor(90) + "', 'A', 'B', '+60123456789', 'KL', 'PWTC', '2021-05-30', now())"));
    ASSERT_TRUE(sqlExec(database_,
                        "UPDATE bookings SET last_name = 'Changed' WHERE person_id = '" + myKadFor(2) + "'"));
    ASSERT_TRUE(sqlExec(database_, "UPDATE bookings SET reference = 'JKOTHER0000003' WHERE person_id = '" +
                                       myKadFor(3) + "'"));
    ASSERT_TRUE(redis_.probe().command({"HINCRBY", "jkjav:slots", "PWTC:20210519", "-1"}));

    const auto run = reconcile("200");
    EXPECT_EQ(run.exitCode, 4) << run.output;
    const std::string masked1 = myKadFor(1).substr(0, 4);
    for (const std::string expected :
         {"missing in PostgreSQL: " + masked1, std::string("extra in PostgreSQL: "),
          std::string("JKEXTRA0000001"), std::string("lastName (values not shown: personal data)"),
          std::string("reference is ") /* JK... in Redis, JKOTHER0000003 in PostgreSQL */,
          std::string("JKOTHER0000003 in PostgreSQL"),
          std::string("booked count differs: PWTC:20210519: 2 in Redis, 1 in PostgreSQL"),
          std::string("booked count differs: PWTC:20210516: 1 in Redis, 0 in PostgreSQL"),
          std::string("booked count differs: PWTC:20210530: 0 in Redis, 1 in PostgreSQL")}) {
        EXPECT_NE(run.output.find(expected), std::string::npos) << "no '" << expected << "' in:\n"
                                                                << run.output;
    }
    // Never a whole id in what it prints.
    for (int n : {1, 2, 3, 90}) EXPECT_EQ(run.output.find(myKadFor(n)), std::string::npos) << run.output;
}

TEST_F(Reconcile, UnreachableDatabaseIsAFailureNotAnAgreement) {
    auto run = runAdmin(
        {"reconcile", "--redis-url", redis_.url(), "--database-url", "postgresql://jkjav@127.0.0.1:1/none"});
    EXPECT_EQ(run.exitCode, 1) << run.output;
}

}  // namespace
}  // namespace jkjav::testing
