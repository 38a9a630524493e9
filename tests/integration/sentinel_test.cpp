// jkjav-server and jkjav-admin against a replicated Redis under Sentinel (tests/support/
// sentinel_cluster.hpp): they find the primary through the Sentinels, follow a failover without a
// restart, answer every request during it (200/409, or 503 with Retry-After: never a hang or a 500),
// lose no acknowledged booking, and are not ready (not crashed) when no Sentinel can name a primary.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "sentinel_cluster.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

using Clock = std::chrono::steady_clock;

class Sentinel : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        cluster_ = std::make_unique<SentinelCluster>();
        cluster_->start();
        campaign_ = dir_.write("campaign.json", kTestCampaign);
    }
    static void TearDownTestSuite() { cluster_.reset(); }

    // A server finding Redis through the cluster's Sentinels (seeded through the first primary).
    // REDIS_SENTINELS in `env` replaces the cluster's.
    static std::unique_ptr<JkjavServer> sentinelServer(std::map<std::string, std::string> env = {},
                                                       bool waitReady = true,
                                                       const std::string& logName = "server.log") {
        env.emplace("REDIS_SENTINELS", cluster_->sentinelList());
        auto server = std::make_unique<JkjavServer>(campaign_, cluster_->initialPrimaryUrl(), env,
                                                    dir_.path() + "/" + logName);
        server->start(waitReady);
        return server;
    }

    // A log of a server's own: --gtest_repeat runs a test again in the same directory.
    static std::string freshLogName(const std::string& prefix) {
        static int servers = 0;
        return prefix + "-" + std::to_string(++servers) + ".log";
    }
    static std::string logOf(const std::string& logName) {
        std::ifstream file(dir_.path() + "/" + logName);
        return {(std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>()};
    }
    static bool logSays(const std::string& logName, const std::string& text) {
        return logOf(logName).find(text) != std::string::npos;
    }

    static bool bookedOn(int redisPort, const std::string& id) {
        return cluster_->probeAt(redisPort).command({"EXISTS", "jkjav:booking:" + id}) == "1";
    }

    static inline TempDir dir_;
    static inline std::string campaign_;
    static inline std::unique_ptr<SentinelCluster> cluster_;
};

// What every request sent during a failover got.
struct Answers {
    std::mutex mutex;
    std::map<int, int> statuses;
    int unavailableWithoutRetryAfter = 0;
    Clock::duration slowest{};
    std::vector<std::pair<std::string, Clock::time_point>> booked;  // answered 200, and when asked

    void add(const std::string& id, const HttpReply& reply, Clock::time_point asked) {
        const std::lock_guard lock(mutex);
        ++statuses[reply.status];
        if (reply.status == 503 && reply.header("retry-after").empty()) ++unavailableWithoutRetryAfter;
        slowest = std::max(slowest, Clock::now() - asked);
        if (reply.status == 200) booked.emplace_back(id, asked);
    }
};

TEST_F(Sentinel, BookingsMoveToTheNewPrimaryAfterAFailoverAndNoneAcknowledgedIsLost) {
    const std::string logName = freshLogName("failover");
    auto server = sentinelServer({}, true, logName);
    HttpClient client(server->port());
    // Ready means one thread's connection is up; this request may land on another still connecting.
    ASSERT_TRUE(eventually([&] {
        return client.postJson("/booking", bookingBody(myKadFor(700'001), "PWTC", "20210520")).status == 200;
    }));
    const int firstPrimary = cluster_->primaryPort();
    EXPECT_TRUE(bookedOn(firstPrimary, myKadFor(700'001)));
    // Subscribed to +switch-master before the failover, so the announcement reaches it.
    ASSERT_TRUE(eventually([&] { return logSays(logName, "following moves of the primary 'jkjav'"); }));

    // Bookings keep coming from two clients through the failover.
    Answers answers;
    std::atomic<bool> done{false};
    std::atomic<int> next{700'100};
    std::vector<std::thread> crowd;
    for (int c = 0; c < 2; ++c) {
        crowd.emplace_back([&] {
            HttpClient own(server->port());
            while (!done) {
                const int n = next++;
                const std::string id = myKadFor(n);
                // Spread over fifteen dates of a thousand seats: none fills up during the test.
                const std::string date = "202105" + std::to_string(16 + n % 15);
                const auto asked = Clock::now();
                answers.add(id, own.postJson("/booking", bookingBody(id, "PWTC", date)), asked);
            }
        });
    }
    ASSERT_TRUE(cluster_->failover()) << "Sentinel did not promote the replica";
    const auto failedOverAt = Clock::now();
    const int newPrimary = cluster_->primaryPort();
    ASSERT_NE(newPrimary, firstPrimary);

    // Without a restart, within a deadline, a booking succeeds again: through the new primary.
    int attempt = 0;
    HttpReply last;
    const bool bookedAgain = eventually(
        [&] {
            last =
                client.postJson("/booking", bookingBody(myKadFor(710'000 + attempt++), "PWTC", "20210522"));
            return last.status == 200;
        },
        std::chrono::milliseconds(10'000));
    const auto recovery = Clock::now() - failedOverAt;
    done = true;
    for (auto& thread : crowd) thread.join();
    ASSERT_TRUE(bookedAgain) << "no booking succeeded within 10 s of the failover; the last answer: "
                             << last.status << " " << last.body
                             << (server->process().running() ? "" : " (the server has exited)")
                             << "\nthe server's log:\n"
                             << logOf(logName);
    EXPECT_TRUE(eventually([&] { return logSays(logName, "sentinel: primary 'jkjav' moved from"); }));
    EXPECT_TRUE(bookedOn(newPrimary, myKadFor(710'000 + attempt - 1)));
    std::printf(
        "failover: booking again %lld ms after Sentinel named the new primary\n",
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(recovery).count()));

    // Every request during the switch got an answer it may get, quickly.
    for (const auto& [status, count] : answers.statuses) {
        std::printf("failover: %d answered %d\n", count, status);
        EXPECT_TRUE(status == 200 || status == 409 || status == 503) << count << " answered " << status;
    }
    EXPECT_EQ(answers.unavailableWithoutRetryAfter, 0);
    EXPECT_LT(answers.slowest, std::chrono::seconds(5));
    // No acknowledged booking is lost: with Sentinels a booking is answered 200 only once the
    // replica holds it (REDIS_MIN_REPLICAS defaults to 1), so every 200, asked before the switch or
    // after it, is on the new primary.
    int missingBefore = 0;
    int missingAfter = 0;
    for (const auto& [id, asked] : answers.booked) {
        if (!bookedOn(newPrimary, id)) ++(asked >= failedOverAt ? missingAfter : missingBefore);
    }
    EXPECT_EQ(missingBefore, 0) << "asked before the switch, of " << answers.booked.size() << " answered 200";
    EXPECT_EQ(missingAfter, 0) << "asked after the switch, of " << answers.booked.size() << " answered 200";
    std::printf("failover: %zu bookings answered 200 during the test, every one on the new primary\n",
                answers.booked.size());
    EXPECT_TRUE(bookedOn(newPrimary, myKadFor(700'001)));  // replicated before the switch
}

TEST_F(Sentinel, AdminStatusFindsThePrimaryThroughTheSentinels) {
    const auto run = runAdmin({"status", "--json", "--sentinels", cluster_->sentinelList(), "--redis-url",
                               "redis://127.0.0.1:1"});  // the URL's host is ignored with Sentinels
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("\"campaign\""), std::string::npos) << run.output;

    const auto unknown =
        runAdmin({"status", "--sentinels", cluster_->sentinelList(), "--master-name", "other"});
    EXPECT_NE(unknown.exitCode, 0);
    EXPECT_NE(unknown.output.find("'other'"), std::string::npos) << unknown.output;
}

// A server that cannot learn where the primary is runs, says why in its log, is not ready (a load
// balancer takes it out) and answers a booking 503 with Retry-After.
void expectNotReadyButRunning(JkjavServer& server) {
    HttpClient client(server.port());
    EXPECT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(client.get("/readyz").status, 503);
    const auto booking = client.postJson("/booking", bookingBody(myKadFor(720'001), "PWTC", "20210520"));
    EXPECT_EQ(booking.status, 503);
    EXPECT_FALSE(booking.header("retry-after").empty());
    EXPECT_TRUE(server.process().running());
}

TEST_F(Sentinel, AMasterNameTheSentinelsDoNotKnowIsNotReadyNotACrash) {
    const std::string logName = freshLogName("wrong-name");
    auto server = sentinelServer({{"REDIS_MASTER_NAME", "not-jkjav"}}, false, logName);
    ASSERT_TRUE(eventually([&] { return logSays(logName, "knows no primary named 'not-jkjav'"); }));
    expectNotReadyButRunning(*server);
}

TEST_F(Sentinel, NoSentinelAnsweringIsNotReadyNotACrash) {
    const std::string nobody = "127.0.0.1:" + std::to_string(freeLoopbackPort());
    const std::string logName = freshLogName("no-sentinel");
    auto server = sentinelServer({{"REDIS_SENTINELS", nobody}}, false, logName);
    ASSERT_TRUE(eventually([&] { return logSays(logName, "no Sentinel of 1 answered"); }));
    expectNotReadyButRunning(*server);
}

}  // namespace
}  // namespace jkjav::testing
