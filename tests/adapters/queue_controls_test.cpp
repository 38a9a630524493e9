// `jkjav-admin queue` (the real binary) against a real redis-server, with admission rounds run
// directly (admit.lua through RedisQueueStore) on bookkeeping the test sets: pause admits nobody
// while people wait, resume admits at the rate again with no backlog, set-rate changes what a round
// admits, and status shows the figures. No server ticks meanwhile, and no verdict waits on a clock:
// a round whose last one was a minute ago admits exactly one second's worth (kMaxAdmissionCatchUpMs).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <string>

#include "adapters/queue/redis_queue_store.hpp"
#include "fixtures.hpp"

namespace jkjav::queue {
namespace {

namespace asio = boost::asio;
using testing::AdminRun;

constexpr int kWaiting = 100;
constexpr double kCampaignRate = 5;

std::string campaignFile(testing::TempDir& dir, const std::string& name, bool withQueue) {
    const std::string queue = withQueue
                                  ? R"("queue": {"opensAt": "2021-05-26T12:00:00+08:00", "admitPerSecond": 5,
                    "admissionSeconds": 600, "overAdmitFactor": 1.2},)"
                                  : "";
    return dir.write(name + ".json", R"({"name": ")" + name + R"(", )" + queue + R"(
      "locations": [{"code": "PWTC", "dates": [{"date": "20210601", "capacity": 1000}]}]})");
}

class QueueControls : public ::testing::Test {
  protected:
    void SetUp() override {
        redis_.start();
        file_ = campaignFile(dir_, "controls", true);
        const AdminRun seeded = testing::seedCampaign(file_, redis_.url());
        ASSERT_EQ(seeded.exitCode, 0) << seeded.output;
        redis::RedisEndpoint endpoint;
        endpoint.port = static_cast<std::uint16_t>(redis_.port());
        connection_ = redis::RedisConnection::create(context_.get_executor(), endpoint, {});
        connection_->start();
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!connection_->connected() && std::chrono::steady_clock::now() < end)
            context_.run_one_for(std::chrono::milliseconds(10));
        ASSERT_TRUE(connection_->connected());
        store_ = std::make_unique<RedisQueueStore>(connection_, redis::RedisKeys(), settings_);
        // kWaiting people in line, arrived after opening.
        for (int i = 0; i < kWaiting; ++i)
            probe().command({"ZADD", "jkjav:queue:lane", std::to_string(1 + i), "m" + std::to_string(i)});
        probe().command({"HSET", "jkjav:queue:state", "seq", std::to_string(kWaiting)});
    }
    void TearDown() override {
        connection_->stop();
        context_.run_for(std::chrono::milliseconds(50));
    }

    AdminRun queue(std::vector<std::string> args) {
        args.insert(args.begin(), "queue");
        args.insert(args.end(), {"--campaign", file_, "--redis-url", redis_.url()});
        return testing::runAdmin(args);
    }
    std::int64_t redisNowMs() {
        return std::stoll(probe()
                              .command({"EVAL",
                                        "local t = redis.call('TIME') return t[1] * 1000 + "
                                        "math.floor(t[2] / 1000)",
                                        "0"})
                              .value_or("0"));
    }
    // One admission round whose previous round (of any server) was a minute ago: at most one second's
    // worth is due (the catch-up cap), so exactly the rate's whole part, whatever the clocks say.
    app::AdmissionRound roundAfterAMinute() {
        probe().command({"HSET", "jkjav:queue:state", "lastAdmitMs", std::to_string(redisNowMs() - 60'000),
                         "carry", "0"});
        return round();
    }
    app::AdmissionRound round() {
        std::optional<app::AdmissionRound> result;
        asio::co_spawn(context_, store_->admit(), [&](std::exception_ptr error, app::AdmissionRound value) {
            if (error) std::rethrow_exception(error);
            result = value;
        });
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        context_.restart();
        while (!result && std::chrono::steady_clock::now() < end)
            context_.run_one_for(std::chrono::milliseconds(100));
        if (!result || !result->answered) throw std::runtime_error("the admission round did not answer");
        return *result;
    }
    testing::RedisProbe& probe() { return redis_.probe(); }

    testing::TempDir dir_;
    testing::RedisServer redis_{dir_.path()};
    std::string file_;
    asio::io_context context_;
    std::shared_ptr<redis::RedisConnection> connection_;
    const domain::QueueSettings settings_{.opensAtMs = 1622001600000,  // 2021-05-26T12:00:00+08:00
                                          .preQueueOpensAtMs = 0,
                                          .admitPerSecond = kCampaignRate,
                                          .admissionSeconds = 600,
                                          .overAdmitFactor = 1.2};
    std::unique_ptr<RedisQueueStore> store_;
};

TEST_F(QueueControls, PauseAdmitsNobodyAndResumeAdmitsAtTheRateWithoutABacklog) {
    ASSERT_EQ(roundAfterAMinute().admittedNow, 5) << "the campaign's 5/s";

    const AdminRun paused = queue({"pause"});
    ASSERT_EQ(paused.exitCode, 0) << paused.output;
    const auto whilePaused = roundAfterAMinute();
    EXPECT_EQ(whilePaused.admittedNow, 0);
    EXPECT_TRUE(whilePaused.figures.paused);
    EXPECT_EQ(whilePaused.figures.length - whilePaused.figures.admittedUpTo, kWaiting - 5) << "people wait";
    // The paused round moved the rounds' clock on and carried nothing: resuming owes no backlog.
    EXPECT_EQ(std::stoll(probe().command({"HGET", "jkjav:queue:state", "lastAdmitMs"}).value_or("0")),
              whilePaused.figures.nowMs);
    EXPECT_EQ(probe().command({"HGET", "jkjav:queue:state", "carry"}), "0");

    const AdminRun resumed = queue({"resume"});
    ASSERT_EQ(resumed.exitCode, 0) << resumed.output;
    EXPECT_NE(resumed.output.find("resumed"), std::string::npos) << resumed.output;
    const auto after = roundAfterAMinute();
    EXPECT_EQ(after.admittedNow, 5);
    EXPECT_FALSE(after.figures.paused);
}

TEST_F(QueueControls, PausedLapsedAdmissionsStillExpire) {
    probe().command({"ZADD", "jkjav:queue:admitted", std::to_string(redisNowMs() - 1), "lapsed"});
    ASSERT_EQ(queue({"pause"}).exitCode, 0);
    const auto whilePaused = roundAfterAMinute();
    EXPECT_EQ(whilePaused.figures.outstanding, 0);
    EXPECT_EQ(whilePaused.figures.expiredTotal, 1);
}

TEST_F(QueueControls, SetRateChangesWhatARoundAdmits) {
    const AdminRun set = queue({"set-rate", "20"});
    ASSERT_EQ(set.exitCode, 0) << set.output;
    const auto faster = roundAfterAMinute();
    EXPECT_EQ(faster.admittedNow, 20);
    EXPECT_DOUBLE_EQ(faster.figures.admitPerSecond, 20);
    ASSERT_EQ(queue({"set-rate", "2.5"}).exitCode, 0);
    EXPECT_EQ(roundAfterAMinute().admittedNow, 2) << "2.5 due: 2 now, the half carried";
}

TEST_F(QueueControls, StatusShowsTheFiguresAndTheCap) {
    ASSERT_EQ(roundAfterAMinute().admittedNow, 5);
    ASSERT_EQ(queue({"set-rate", "40"}).exitCode, 0);
    ASSERT_EQ(queue({"pause"}).exitCode, 0);
    const AdminRun run = queue({"status", "--json"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const auto status = boost::json::parse(run.output);
    EXPECT_EQ(status.at("state"), "open");
    EXPECT_EQ(status.at("paused"), true);
    EXPECT_EQ(status.at("admitPerSecond").at("configured").to_number<double>(), 5);
    EXPECT_EQ(status.at("admitPerSecond").at("operator").to_number<double>(), 40);
    EXPECT_EQ(status.at("length"), kWaiting - 5);
    EXPECT_EQ(status.at("admittedUpTo"), 5);
    EXPECT_EQ(status.at("outstanding"), 5);
    EXPECT_EQ(status.at("remainingSlots"), 1000);
    EXPECT_EQ(status.at("cap"), 1200);
    EXPECT_EQ(status.at("admittedTotal"), 5);
    EXPECT_EQ(status.at("expiredTotal"), 0);

    const AdminRun text = queue({"status"});
    ASSERT_EQ(text.exitCode, 0) << text.output;
    EXPECT_NE(text.output.find("paused:           YES"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("cap of 1200"), std::string::npos) << text.output;
}

TEST_F(QueueControls, ACampaignWithoutAQueueOrAnotherCampaignsRedisIsRefused) {
    const AdminRun noQueue = testing::runAdmin(
        {"queue", "pause", "--campaign", campaignFile(dir_, "plain", false), "--redis-url", redis_.url()});
    EXPECT_EQ(noQueue.exitCode, 1) << noQueue.output;
    EXPECT_NE(noQueue.output.find("has no waiting room"), std::string::npos) << noQueue.output;

    probe().command({"HSET", "jkjav:campaign", "id", "another"});
    const AdminRun other = queue({"pause"});
    EXPECT_EQ(other.exitCode, 3) << other.output;
    EXPECT_NE(other.output.find("holds campaign 'another'"), std::string::npos) << other.output;
    EXPECT_EQ(probe().command({"HGET", "jkjav:queue:state", "paused"}), "(nil)") << "nothing changed";
}

}  // namespace
}  // namespace jkjav::queue
