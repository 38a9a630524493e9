// Acknowledged means replicated (REDIS_MIN_REPLICAS): against a real primary and a real replica
// (redis-server --replicaof), stopped with SIGSTOP to play a replica that does not answer.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <limits>
#include <sstream>

#include "kafka_probe.hpp"
#include "redis_replica.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A bound far above REDIS_WAIT_TIMEOUT_MS below, only so that a hang fails rather than a slow run.
constexpr auto kAnswerBound = std::chrono::seconds(5);

std::string bookingKey(const std::string& id) { return "jkjav:booking:" + id; }

std::string cancelTarget(const std::string& id) { return "/booking/" + id + "?phoneNumber=0123456789"; }

// One counter of GET /metrics (0 when absent).
double metric(int port, const std::string& name) {
    std::istringstream lines(HttpClient(port).get("/metrics").body);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
    }
    return 0;
}

// A replica that can be stopped is only a fair test while it is running when a test begins.
class Replication : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>();
        primary_ = std::make_unique<RedisServer>(dir_->path());
        primary_->start();
        replicaDir_ = std::make_unique<TempDir>();
        replica_ = std::make_unique<RedisReplica>(replicaDir_->path(), *primary_);
        broker_ = std::make_unique<DevBroker>(dir_->path());
        // One thread: every booking goes through one batcher, so requests sent together share a call.
        server_ = std::make_unique<JkjavServer>(dir_->write("campaign.json", kTestCampaign), primary_->url(),
                                                std::map<std::string, std::string>{
                                                    {"THREADS", "1"},
                                                    {"REDIS_MIN_REPLICAS", "1"},
                                                    {"REDIS_WAIT_TIMEOUT_MS", "500"},
                                                    {"KAFKA_BROKERS", broker_->bootstrap()},
                                                    {"KAFKA_DELIVERY_TIMEOUT_MS", "1000"},
                                                },
                                                dir_->path() + "/server.log");
        server_->start();
    }
    static void TearDownTestSuite() {
        server_.reset();
        broker_.reset();
        replica_.reset();
        replicaDir_.reset();
        primary_.reset();
        dir_.reset();
    }
    void TearDown() override { replica_->resume(); }  // a failed test must not leave it stopped

    static long long remaining(const std::string& slot) {
        return primary_->probe().integer({"HGET", "jkjav:slots", slot});
    }
    // The reply of the first attempt that is not 503 UNCONFIRMED: the client retrying as told.
    static HttpReply retriedUntilConfirmed(const std::function<HttpReply()>& attempt) {
        HttpReply reply;
        eventually([&] {
            reply = attempt();
            return !(reply.status == 503 && reply.body.find("UNCONFIRMED") != std::string::npos);
        });
        return reply;
    }

    static inline std::unique_ptr<TempDir> dir_;
    static inline std::unique_ptr<TempDir> replicaDir_;
    static inline std::unique_ptr<RedisServer> primary_;
    static inline std::unique_ptr<RedisReplica> replica_;
    static inline std::unique_ptr<DevBroker> broker_;
    static inline std::unique_ptr<JkjavServer> server_;
};

TEST_F(Replication, ABookingIsAnsweredOnceTheReplicaHoldsIt) {
    const std::string id = myKadFor(1);
    HttpClient client(server_->port());
    // Retried as told, should a loaded machine keep even a running replica past the WAIT's timeout.
    const auto reply = retriedUntilConfirmed(
        [&] { return client.postJson("/booking", bookingBody(id, "PWTC", "20210516")); });
    ASSERT_EQ(reply.status, 200) << reply.body;
    // Nothing to wait for: WAIT said the replica holds it before the answer was sent.
    EXPECT_EQ(replica_->probe().command({"HGET", bookingKey(id), "reference"}),
              std::string(reply.json().at("reference").as_string()));
    EXPECT_NE(primary_->probe().command({"INFO", "commandstats"})->find("cmdstat_wait:"), std::string::npos);
}

TEST_F(Replication, WithTheReplicaStoppedABookingIsUnconfirmedAndItsRetryGetsTheSameBooking) {
    const std::string id = myKadFor(2);
    const std::string body = bookingBody(id, "PWTC", "20210517");
    const long long before = remaining("PWTC:20210517");
    HttpClient client(server_->port());

    replica_->pause();
    const auto started = Clock::now();
    const auto unconfirmed = client.postJson("/booking", body);
    EXPECT_LT(Clock::now() - started, kAnswerBound);
    ASSERT_EQ(unconfirmed.status, 503) << unconfirmed.body;
    EXPECT_EQ(unconfirmed.json().at("code"), "UNCONFIRMED");
    EXPECT_EQ(unconfirmed.header("retry-after"), "1");
    // Written on the primary all the same: the retry finds it rather than booking again.
    const auto written = primary_->probe().command({"HGET", bookingKey(id), "reference"});
    ASSERT_TRUE(written && !written->empty());

    replica_->resume();
    const auto confirmed = retriedUntilConfirmed([&] { return client.postJson("/booking", body); });
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    EXPECT_EQ(std::string(confirmed.json().at("reference").as_string()), *written);
    EXPECT_EQ(replica_->probe().command({"HGET", bookingKey(id), "reference"}), *written);
    EXPECT_EQ(remaining("PWTC:20210517"), before - 1);  // one slot, not two
}

TEST_F(Replication, WithTheReplicaStoppedACancellationIsUnconfirmedAndTookEffectOnce) {
    const std::string id = myKadFor(3);
    HttpClient client(server_->port());
    ASSERT_EQ(retriedUntilConfirmed([&] {
                  return client.postJson("/booking", bookingBody(id, "PWTC", "20210518"));
              }).status,
              200);
    const long long before = remaining("PWTC:20210518");

    replica_->pause();
    const auto started = Clock::now();
    const auto unconfirmed = client.request("DELETE", cancelTarget(id), "", {});
    EXPECT_LT(Clock::now() - started, kAnswerBound);
    ASSERT_EQ(unconfirmed.status, 503) << unconfirmed.body;
    EXPECT_EQ(unconfirmed.json().at("code"), "UNCONFIRMED");
    EXPECT_EQ(unconfirmed.header("retry-after"), "1");

    replica_->resume();
    // The retry finds the cancellation done (a cancellation is not repeatable: 404), and the
    // replica holds it: the booking is gone there too.
    const auto retried =
        retriedUntilConfirmed([&] { return client.request("DELETE", cancelTarget(id), "", {}); });
    EXPECT_EQ(retried.status, 404) << retried.body;
    EXPECT_EQ(replica_->probe().integer({"EXISTS", bookingKey(id)}), 0);
    EXPECT_EQ(remaining("PWTC:20210518"), before + 1);  // the slot came back once
}

TEST_F(Replication, WithTheReplicaStoppedAWaitlistPlaceIsUnconfirmedAndItsRetryGetsTheSamePlace) {
    // MANY's ten slots on 1 March taken while the replica runs.
    HttpClient client(server_->port());
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(retriedUntilConfirmed([&] {
                      return client.postJson("/booking", bookingBody(myKadFor(40 + i), "MANY", "20210301"));
                  }).status,
                  200);
    }
    std::string body = bookingBody(myKadFor(50), "MANY", "20210301");
    body.back() = ',';
    body += R"("waitlist":true})";

    replica_->pause();
    const auto unconfirmed = client.postJson("/booking", body);
    ASSERT_EQ(unconfirmed.status, 503) << unconfirmed.body;
    EXPECT_EQ(unconfirmed.json().at("code"), "UNCONFIRMED");
    EXPECT_EQ(unconfirmed.header("retry-after"), "1");

    replica_->resume();
    const auto confirmed = retriedUntilConfirmed([&] { return client.postJson("/booking", body); });
    ASSERT_EQ(confirmed.status, 202) << confirmed.body;
    EXPECT_EQ(confirmed.json().at("position"), 1);  // the place the first attempt took, not a second one
    EXPECT_EQ(replica_->probe().integer({"LLEN", "jkjav:waitlist:MANY:20210301"}), 1);
}

TEST_F(Replication, InABatchEveryUnconfirmedSuccessIsUnconfirmedAndRefusalsStandAsTheyAre) {
    // ONE's single slot taken while the replica runs: a later booking of it is refused FULL.
    HttpClient client(server_->port());
    ASSERT_EQ(retriedUntilConfirmed([&] {
                  return client.postJson("/booking", bookingBody(myKadFor(10), "ONE", "20210601"));
              }).status,
              200);
    struct Request {
        std::string body;
        int status;
        const char* code;
    };
    const std::vector<Request> requests{
        {bookingBody(myKadFor(11), "PWTC", "20210520"), 503, "UNCONFIRMED"},
        {bookingBody(myKadFor(12), "ONE", "20210601"), 409, "FULL"},
        {bookingBody(myKadFor(13), "PWTC", "20210520"), 503, "UNCONFIRMED"},
        {bookingBody(myKadFor(14), "PWTC", "19990101"), 422, "UNKNOWN_SLOT"},
        {bookingBody(myKadFor(10), "PWTC", "20210520"), 409, "ALREADY_BOOKED"},
        {bookingBody(myKadFor(10), "ONE", "20210601"), 503, "UNCONFIRMED"},  // a repeat of a booking
    };

    replica_->pause();
    // Sent together on connections of their own: while the first call's WAIT blocks, the others
    // gather into the next batch.
    std::vector<std::future<HttpReply>> replies;
    for (const auto& request : requests) {
        replies.push_back(std::async(std::launch::async, [&, port = server_->port()] {
            return HttpClient(port).postJson("/booking", request.body);
        }));
    }
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto reply = replies[i].get();
        EXPECT_EQ(reply.status, requests[i].status) << i << ": " << reply.body;
        if (reply.status >= 400) EXPECT_EQ(reply.json().at("code"), requests[i].code) << i;
    }
}

TEST_F(Replication, TheRelayPublishesAnEventOnlyOnceTheReplicaHoldsItsBooking) {
    const int port = server_->port();
    // Everything earlier delivered: from here on, the outbox holds this test's event only.
    ASSERT_TRUE(eventually(
        [] {
            return primary_->probe().integer({"XLEN", "jkjav:outbox"}) == 0;
        },
        std::chrono::seconds(30)));
    const double refusedBefore = metric(port, "jkjav_events_unreplicated_batches_total");
    const std::string id = myKadFor(20);

    replica_->pause();
    ASSERT_EQ(HttpClient(port).postJson("/booking", bookingBody(id, "PWTC", "20210521")).status, 503);
    // The relay read the entry and held it back: its counter says so, rather than a wait for
    // nothing to happen.
    ASSERT_TRUE(
        eventually([&] { return metric(port, "jkjav_events_unreplicated_batches_total") > refusedBefore; }));
    KafkaProbe probe(broker_->bootstrap(), "booking-slot");
    for (const auto& message : probe.readAll()) EXPECT_NE(message.key, id) << "published before replicated";
    EXPECT_EQ(primary_->probe().integer({"XLEN", "jkjav:outbox"}), 1);

    replica_->resume();
    std::size_t events = 0;
    ASSERT_TRUE(eventually(
        [&] {
            events = 0;
            for (const auto& message :
                 probe.readAtLeast(std::numeric_limits<std::size_t>::max(), std::chrono::milliseconds(200)))
                events += message.key == id ? 1 : 0;
            return events > 0 && primary_->probe().integer({"XLEN", "jkjav:outbox"}) == 0;
        },
        std::chrono::seconds(30)));
    std::size_t total = 0;
    for (const auto& message : probe.readAll()) total += message.key == id ? 1 : 0;
    EXPECT_EQ(total, 1u);  // exactly once
}

// REDIS_MIN_REPLICAS=0 with a replica present: nothing waits, not one WAIT is sent.
class NoReplicasRequired : public ::testing::Test {
  protected:
    TempDir dir_;
    TempDir replicaDir_;
    RedisServer primary_{dir_.path()};
};

TEST_F(NoReplicasRequired, SendsNoWait) {
    primary_.start();
    RedisReplica replica(replicaDir_.path(), primary_);
    JkjavServer server(dir_.write("campaign.json", kTestCampaign), primary_.url(),
                       {{"REDIS_MIN_REPLICAS", "0"}}, dir_.path() + "/server.log");
    server.start();
    HttpClient client(server.port());
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(1), "PWTC", "20210516")).status, 200);
    ASSERT_EQ(client.request("DELETE", cancelTarget(myKadFor(1)), "", {}).status, 200);
    const auto stats = primary_.probe().command({"INFO", "commandstats"});
    ASSERT_TRUE(stats);
    EXPECT_NE(stats->find("cmdstat_evalsha:"), std::string::npos);  // the bookings did reach Redis
    EXPECT_EQ(stats->find("cmdstat_wait:"), std::string::npos);
}

}  // namespace
}  // namespace jkjav::testing
