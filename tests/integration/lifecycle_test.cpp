// Start, stop, restart and outages: what the server does around the requests.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "case_names.hpp"
#include "server_suite.hpp"
#include "timed_connection.hpp"

namespace jkjav::testing {
namespace {

// Why /readyz says not ready; empty while ready (or not answering).
std::string readinessReason(HttpClient& client) {
    const auto ready = client.get("/readyz");
    if (ready.status != 503) return "";
    const boost::json::value body = ready.json();  // kept: `reason` points into it
    const auto* reason = body.as_object().if_contains("reason");
    return reason == nullptr ? "" : std::string(reason->as_string());
}

class Lifecycle : public ::testing::Test {
  protected:
    TempDir dir_;
    std::string campaign_ = dir_.write("campaign.json", kTestCampaign);
    RedisServer redis_{dir_.path(), true};
    std::string log_ = dir_.path() + "/server.log";
};

TEST_F(Lifecycle, ARestartKeepsEveryCounter) {
    redis_.start();
    JkjavServer server(campaign_, redis_.url(), {}, log_);
    server.start();
    {
        HttpClient client(server.port());
        for (int i = 0; i < 3; ++i) {
            ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(i), "PWTC", "20210516")).status, 200);
        }
    }
    EXPECT_EQ(server.stop(), 0);

    JkjavServer again(campaign_, redis_.url(), {}, log_);
    again.start();
    EXPECT_EQ(redis_.probe().integer({"HGET", "jkjav:slots", "PWTC:20210516"}), 997);
    HttpClient client(again.port());
    const auto stations = client.get("/stations/PWTC").json().as_array();
    EXPECT_EQ(stations.front().at("availability").as_int64(), 997);
    EXPECT_EQ(client.postJson("/booking", bookingBody(myKadFor(0), "PWTC", "20210517")).status, 409);
}

TEST_F(Lifecycle, ARedisOutageAnswers503AndHealsByItself) {
    redis_.start();
    JkjavServer server(campaign_, redis_.url(), {{"REDIS_TIMEOUT_MS", "500"}}, log_);
    server.start();
    HttpClient client(server.port());
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(10), "PWTC", "20210516")).status, 200);
    const auto fresh = client.get("/stations/PWTC");
    ASSERT_EQ(fresh.status, 200);
    EXPECT_FALSE(fresh.headers.contains("x-snapshot-age")) << fresh.header("x-snapshot-age");

    redis_.kill();
    EXPECT_TRUE(eventually([&] { return client.get("/readyz").status == 503; }));
    HttpReply refused;
    EXPECT_TRUE(eventually([&] {
        refused = client.postJson("/booking", bookingBody(myKadFor(11), "PWTC", "20210516"));
        return refused.status == 503;
    }));
    EXPECT_EQ(refused.json().at("code"), "STORE_UNAVAILABLE");
    EXPECT_EQ(refused.header("retry-after"), "1");
    const auto stale = client.get("/stations/PWTC");  // the last snapshot is still served
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(stale.json().as_array().size(), 30u);
    // ...and once it is older than it should ever be (here 2 s: SNAPSHOT_MS 50 x 4, at least 2 s), it
    // says how old, in whole seconds.
    std::string age;
    EXPECT_TRUE(eventually([&] {
        age = client.get("/stations/PWTC").header("x-snapshot-age");
        return !age.empty();
    }));
    ASSERT_FALSE(age.empty());
    EXPECT_TRUE(std::all_of(age.begin(), age.end(), [](char c) { return c >= '0' && c <= '9'; })) << age;
    EXPECT_GE(std::stoll(age), 2) << age;

    redis_.start();  // same port, same AOF
    EXPECT_TRUE(eventually([&] { return client.get("/readyz").status == 200; }));
    HttpReply accepted;
    EXPECT_TRUE(eventually([&] {
        accepted = client.postJson("/booking", bookingBody(myKadFor(11), "PWTC", "20210516"));
        return accepted.status == 200;
    }));
    EXPECT_EQ(redis_.probe().integer({"HGET", "jkjav:slots", "PWTC:20210516"}), 998);
    EXPECT_EQ(redis_.probe().command({"HGET", "jkjav:booking:" + myKadFor(10), "slot"}), "PWTC:20210516");
}

TEST_F(Lifecycle, StartsWithoutRedisAndBecomesReadyOnceTheCampaignIsSeeded) {
    JkjavServer server(campaign_, redis_.url(), {}, log_);
    server.start(false);
    HttpClient client(server.port());
    EXPECT_EQ(readinessReason(client), "STORE_DOWN");
    EXPECT_EQ(client.get("/stations/PWTC").status, 503);
    EXPECT_EQ(client.postJson("/booking", bookingBody(myKadFor(20), "PWTC", "20210516")).status, 503);
    redis_.start();
    // Redis is there but empty: the server waits for an operator instead of seeding by itself.
    EXPECT_TRUE(eventually([&] { return readinessReason(client) == "NOT_SEEDED"; }));
    EXPECT_EQ(redis_.probe().integer({"EXISTS", "jkjav:slots"}), 0);
    EXPECT_EQ(client.postJson("/booking", bookingBody(myKadFor(20), "PWTC", "20210516")).status, 503);

    ASSERT_EQ(seedCampaign(campaign_, redis_.url()).exitCode, 0);
    EXPECT_TRUE(eventually([&] { return client.get("/readyz").status == 200; }));
    EXPECT_EQ(client.postJson("/booking", bookingBody(myKadFor(20), "PWTC", "20210516")).status, 200);
}

// The original's worst bug by another road: a Redis that comes back empty mid-campaign must not
// reopen every slot at full capacity.
TEST_F(Lifecycle, AnEmptiedRedisIsNeverReseededAndTakesNoBookingUntilAnOperatorSeeds) {
    TempDir volatileDir;
    RedisServer volatileRedis(volatileDir.path(), false);  // no persistence: a restart loses everything
    volatileRedis.start();
    JkjavServer server(campaign_, volatileRedis.url(), {}, log_);
    server.start();
    HttpClient client(server.port());
    const auto first = client.postJson("/booking", bookingBody(myKadFor(50), "ONE", "20210601"));
    ASSERT_EQ(first.status, 200);
    const std::string firstReference(first.json().at("reference").as_string());

    auto& probe = volatileRedis.probe();
    ASSERT_TRUE(probe.command({"FLUSHALL"}).has_value());
    EXPECT_TRUE(eventually([&] { return readinessReason(client) == "MARKER_LOST"; }));
    auto refused = client.postJson("/booking", bookingBody(myKadFor(51), "ONE", "20210601"));
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.json().at("code"), "STORE_UNAVAILABLE");
    EXPECT_EQ(client.postJson("/booking", bookingBody(myKadFor(50), "PWTC", "20210516")).status, 503);

    volatileRedis.kill();  // and a restart without persistence
    volatileRedis.start();
    EXPECT_TRUE(eventually([&] { return readinessReason(client) == "MARKER_LOST"; }));
    refused = client.postJson("/booking", bookingBody(myKadFor(51), "ONE", "20210601"));
    EXPECT_EQ(refused.status, 503);
    // Nothing was seeded again: no counter, no booking, no event, no reference.
    EXPECT_EQ(volatileRedis.probe().integer({"DBSIZE"}), 0);  // start() made a new probe
    std::ifstream file(log_);
    const std::string log((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_NE(log.find("CAMPAIGN MARKER LOST"), std::string::npos) << log;
    EXPECT_EQ(log.find("new slot counters"), std::string::npos) << log;  // what the old reseeding said

    // An operator's explicit seeding reopens it; references carry the new epoch, so none repeats.
    ASSERT_EQ(seedCampaign(campaign_, volatileRedis.url()).exitCode, 0);
    EXPECT_TRUE(eventually([&] { return client.get("/readyz").status == 200; }));
    const auto again = client.postJson("/booking", bookingBody(myKadFor(52), "ONE", "20210601"));
    ASSERT_EQ(again.status, 200) << again.body;
    const std::string againReference(again.json().at("reference").as_string());
    EXPECT_NE(againReference.substr(0, 8), firstReference.substr(0, 8));
    EXPECT_EQ(againReference.substr(8),
              firstReference.substr(8));  // the sequence restarted; the epoch differs
}

TEST_F(Lifecycle, SeedingRefusesAnotherCampaignsRedisUnlessForced) {
    redis_.start();
    ASSERT_EQ(seedCampaign(campaign_, redis_.url()).exitCode, 0);
    const std::string other = dir_.write(
        "other.json",
        R"({"name":"other","locations":[{"code":"X","dates":[{"date":"20210601","capacity":1}]}]})");
    const auto refused = seedCampaign(other, redis_.url());
    EXPECT_EQ(refused.exitCode, 3);
    EXPECT_NE(refused.output.find("holds campaign 'integration'"), std::string::npos) << refused.output;
    EXPECT_EQ(redis_.probe().command({"HGET", "jkjav:campaign", "id"}), "integration");

    const auto forced = seedCampaign(other, redis_.url(), true);
    EXPECT_EQ(forced.exitCode, 0);
    EXPECT_NE(forced.output.find("WARNING"), std::string::npos) << forced.output;
    EXPECT_EQ(redis_.probe().command({"HGET", "jkjav:campaign", "id"}), "other");
}

TEST_F(Lifecycle, SigtermFinishesARequestInFlightBeforeExiting) {
    redis_.start();
    JkjavServer server(campaign_, redis_.url(), {{"THREADS", "1"}, {"REDIS_TIMEOUT_MS", "30000"}}, log_);
    server.start();
    redis_.pause();
    HttpReply reply;
    std::thread client([&] {
        HttpClient booker(server.port());
        reply = booker.postJson("/booking", bookingBody(myKadFor(40), "PWTC", "20210516"));
    });
    // The booking reached Redis's socket: it is in flight inside jkjav, waiting for the answer. (At
    // most one snapshot read, HGETALL of about 35 bytes, can wait beside it; the booking's EVALSHA
    // is about 350.)
    ASSERT_TRUE(eventually([&] { return redis_.unreadBytes() > 200; }));
    server.process().signal(SIGTERM);
    // No new connections once stopping...
    EXPECT_TRUE(eventually([&] { return HttpClient(server.port()).get("/healthz").status == 0; }));
    EXPECT_TRUE(server.process().running());  // ...but it waits for the booking under way.
    redis_.resume();
    client.join();
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(server.process().waitForExit(std::chrono::seconds(15)), 0);
    EXPECT_EQ(redis_.probe().command({"HGET", "jkjav:booking:" + myKadFor(40), "slot"}), "PWTC:20210516");
}

TEST_F(Lifecycle, SigtermWithAnIdleConnectionExitsCleanly) {
    redis_.start();
    // A drain deadline (600 s) and an idle timeout (60 s, the default) far past the test's bounds:
    // only the drain's own closing of idle connections can end the idle one in time.
    JkjavServer server(campaign_, redis_.url(),
                       {{"THREADS", "1"}, {"REDIS_TIMEOUT_MS", "30000"}, {"DRAIN_SECONDS", "600"}}, log_);
    server.start();
    TimedConnection idle(server.port(), std::chrono::seconds(10));
    ASSERT_EQ(idle.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status, 200);  // left open

    // A booking held in flight (Redis paused) keeps the server draining, not exiting...
    redis_.pause();
    HttpReply reply;
    std::thread client([&] {
        HttpClient booker(server.port());
        reply = booker.postJson("/booking", bookingBody(myKadFor(41), "PWTC", "20210516"));
    });
    ASSERT_TRUE(eventually([&] { return redis_.unreadBytes() > 200; }));
    server.process().signal(SIGTERM);
    // ...so the idle connection's end comes from the drain closing it, before any exit.
    EXPECT_EQ(idle.receive().kind, RawReply::Kind::kClosedClean);
    EXPECT_TRUE(server.process().running());

    redis_.resume();
    client.join();
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(server.process().waitForExit(std::chrono::seconds(15)), 0);
}

// How every starter (fixtures, bench, contract test) learns the port: no free-port race.
TEST_F(Lifecycle, PortZeroIsWrittenToThePortFileOnceListeningAndRemovedOnExit) {
    redis_.start();
    ASSERT_EQ(seedCampaign(campaign_, redis_.url()).exitCode, 0);
    const std::string portFile = dir_.path() + "/port";
    ChildProcess process({serverBinary()},
                         {{"PORT", "0"},
                          {"PORT_FILE", portFile},
                          {"REDIS_URL", redis_.url()},
                          {"CAMPAIGN_FILE", campaign_},
                          {"THREADS", "2"}},
                         log_);
    const int port = readPortFile(portFile, process);
    EXPECT_GT(port, 0);
    EXPECT_EQ(HttpClient(port).get("/healthz").status, 200);  // listening by the time it is written
    process.signal(SIGTERM);
    EXPECT_EQ(process.waitForExit(std::chrono::milliseconds(15'000)), 0);
    EXPECT_FALSE(std::filesystem::exists(portFile)) << "a stopped server's port is nobody's";
}

TEST_F(Lifecycle, TheAdminToolShowsSlotsBookingsAndTheUndeliveredBacklog) {
    redis_.start();
    JkjavServer server(campaign_, redis_.url(), {}, log_);  // no KAFKA_BROKERS: events wait
    server.start();
    HttpClient client(server.port());
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(30 + i), "ONE", "20210601")).status,
                  i == 0 ? 200 : 409);
    }
    const std::string output = dir_.path() + "/admin.out";
    ChildProcess admin({JKJAV_ADMIN_BINARY, "status", "--redis-url", redis_.url()}, {}, output);
    ASSERT_EQ(admin.waitForExit(std::chrono::seconds(10)), 0);
    std::ifstream file(output);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("references issued: 1"), std::string::npos) << text;
    EXPECT_NE(text.find("outbox backlog (events not yet confirmed by Kafka): 1"), std::string::npos) << text;
    // location, date, capacity, booked, remaining, waiting
    EXPECT_NE(text.find("ONE          20210601          1          1          0        0"), std::string::npos)
        << text;
}

// The original server's settings names: REDISHOST, REDISPORT and REDISPASSWORD (no REDIS_URL) reach
// a Redis that requires the password.
TEST_F(Lifecycle, TheOriginalsRedisSettingsReachAPasswordProtectedRedis) {
    TempDir securedDir;
    RedisServer secured(securedDir.path(), false, 0, "s3cret-pass");
    secured.start();
    ASSERT_EQ(seedCampaign(campaign_, secured.url()).exitCode, 0);  // the URL carries the password
    const int port = freeLoopbackPort();
    ChildProcess server({serverBinary()},
                        {{"PORT", std::to_string(port)},
                         {"CAMPAIGN_FILE", campaign_},
                         {"REDISHOST", "127.0.0.1"},
                         {"REDISPORT", std::to_string(secured.port())},
                         {"REDISPASSWORD", "s3cret-pass"},
                         {"THREADS", "1"},
                         {"SNAPSHOT_MS", "50"}},
                        log_);
    HttpClient client(port);
    ASSERT_TRUE(eventually([&] { return client.get("/readyz").status == 200; }))
        << client.get("/readyz").body;
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(60), "PWTC", "20210516")).status, 200);
    EXPECT_EQ(secured.probe().command({"HGET", "jkjav:booking:" + myKadFor(60), "slot"}), "PWTC:20210516");
    server.signal(SIGTERM);
    EXPECT_EQ(server.waitForExit(std::chrono::seconds(15)), 0);
}

struct BadStart {
    const char* name;
    std::string campaign;
    std::map<std::string, std::string> env;
    const char* mentions;
};

void PrintTo(const BadStart& c, std::ostream* os) {
    *os << c.name << ": "
        << (c.campaign == kTestCampaign ? std::string("the test campaign") : escaped(c.campaign))
        << ", environment " << ::testing::PrintToString(c.env) << ", refusal mentions "
        << escaped(c.mentions);
}

class BadStarts : public Lifecycle, public ::testing::WithParamInterface<BadStart> {};

TEST_P(BadStarts, ExitNonZeroNamingTheProblem) {
    const auto& param = GetParam();
    std::map<std::string, std::string> env{{"CAMPAIGN_FILE", dir_.write("bad.json", param.campaign)},
                                           {"PORT", "0"}};
    for (const auto& [key, value] : param.env) env[key] = value;
    ChildProcess process({serverBinary()}, env, log_);
    const auto status = process.waitForExit(std::chrono::milliseconds(10'000));
    ASSERT_TRUE(status.has_value());
    EXPECT_NE(*status, 0);
    std::ifstream file(log_);
    const std::string output((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_NE(output.find(param.mentions), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(
    Settings, BadStarts,
    ::testing::Values(
        BadStart{"BrokenJson", "{", {}, "not valid JSON"},
        BadStart{"NoCapacity", R"({"locations":[{"code":"A","dates":["20210101"]}]})", {}, "no capacity"},
        BadStart{"BadThreads", kTestCampaign, {{"THREADS", "0"}}, "--threads"},
        BadStart{"BadRedisUrl", kTestCampaign, {{"REDIS_URL", "http://x"}}, "REDIS_URL"},
        BadStart{"SentinelWithoutPort", kTestCampaign, {{"REDIS_SENTINELS", "127.0.0.1"}}, "REDIS_SENTINELS"},
        BadStart{"BadMasterName", kTestCampaign, {{"REDIS_MASTER_NAME", "two words"}}, "REDIS_MASTER_NAME"},
        BadStart{"BadBind", kTestCampaign, {{"BIND_ADDRESS", "nowhere"}}, "BIND_ADDRESS"},
        BadStart{"BadTrustedProxies", kTestCampaign, {{"TRUSTED_PROXIES", "10.0.0.0/40"}}, "TRUSTED_PROXIES"},
        BadStart{
            "NegativeRateLimit", kTestCampaign, {{"RATE_LIMIT_LOOKUPS_PER_IP", "-1"}}, "rate-limit-lookups"},
        BadStart{"MissingCampaignFile",
                 kTestCampaign,
                 {{"CAMPAIGN_FILE", "/nonexistent/c.json"}},
                 "/nonexistent/c.json"},
        BadStart{
            "QueueWithoutSecret",
            R"({"queue":{"opensAt":"2021-05-26T12:00:00+08:00"},"locations":[{"code":"A","dates":["20210101"],"capacityPerDay":1}]})",
            {},
            "QUEUE_SECRET"},
        BadStart{
            "QueueSecretTooShort",
            R"({"queue":{"opensAt":"2021-05-26T12:00:00+08:00"},"locations":[{"code":"A","dates":["20210101"],"capacityPerDay":1}]})",
            {{"QUEUE_SECRET", "0123456789abcdef0123456789abcde"}},
            "at least 32 bytes"},
        BadStart{
            "QueueOpensAtNotATime",
            R"({"queue":{"opensAt":"noon"},"locations":[{"code":"A","dates":["20210101"],"capacityPerDay":1}]})",
            {{"QUEUE_SECRET", "0123456789abcdef0123456789abcdef"}},
            "RFC 3339"},
        BadStart{"PortNotANumber", kTestCampaign, {{"PORT", "http"}}, "--port"},
        BadStart{"RedisPortOutOfRange",
                 kTestCampaign,
                 {{"REDISHOST", "127.0.0.1"}, {"REDISPORT", "70000"}},
                 "--redis-port"},
        BadStart{"RedisTimeoutTooShort", kTestCampaign, {{"REDIS_TIMEOUT_MS", "5"}}, "--redis-timeout-ms"},
        BadStart{"BookingBatchMaxZero", kTestCampaign, {{"BOOKING_BATCH_MAX", "0"}}, "--booking-batch-max"},
        BadStart{"SnapshotTooOften", kTestCampaign, {{"SNAPSHOT_MS", "5"}}, "--snapshot-ms"},
        BadStart{"ReadTimeoutTooShort", kTestCampaign, {{"READ_TIMEOUT_MS", "50"}}, "--read-timeout-ms"},
        BadStart{"IdleTimeoutNotANumber", kTestCampaign, {{"IDLE_TIMEOUT_MS", "abc"}}, "--idle-timeout-ms"},
        BadStart{"FirstByteTimeoutZero",
                 kTestCampaign,
                 {{"FIRST_BYTE_TIMEOUT_MS", "0"}},
                 "--first-byte-timeout-ms"},
        BadStart{
            "HeaderTimeoutTooShort", kTestCampaign, {{"HEADER_TIMEOUT_MS", "99"}}, "--header-timeout-ms"},
        BadStart{
            "MaxConnectionsNotANumber", kTestCampaign, {{"MAX_CONNECTIONS", "many"}}, "--max-connections"},
        BadStart{"DrainTooLong", kTestCampaign, {{"DRAIN_SECONDS", "601"}}, "--drain-seconds"},
        BadStart{"NegativeBookingRateLimit",
                 kTestCampaign,
                 {{"RATE_LIMIT_BOOKINGS_PER_IP", "-2"}},
                 "--rate-limit-bookings-per-ip"},
        BadStart{"NegativeLookupFailureLimit",
                 kTestCampaign,
                 {{"LOOKUP_FAILURE_LIMIT", "-1"}},
                 "--lookup-failure-limit"},
        BadStart{"UnknownLogLevel", kTestCampaign, {{"LOG_LEVEL", "loud"}}, "--log-level"},
        BadStart{"DeliveryTimeoutTooShort",
                 kTestCampaign,
                 {{"KAFKA_DELIVERY_TIMEOUT_MS", "1"}},
                 "--kafka-delivery-timeout-ms"},
        BadStart{"ClaimIdleTooShort", kTestCampaign, {{"RELAY_CLAIM_IDLE_MS", "1"}}, "--relay-claim-idle-ms"},
        BadStart{"IdentityKeyWithoutIssuer",
                 kTestCampaign,
                 {{"IDENTITY_JWKS_FILE", "/nonexistent/jwks.json"}, {"IDENTITY_AUDIENCE", "jkjav"}},
                 "IDENTITY_ISSUER and IDENTITY_AUDIENCE are required"},
        BadStart{"IdentityKeysUnreadable",
                 kTestCampaign,
                 {{"IDENTITY_JWKS_FILE", "/nonexistent/jwks.json"},
                  {"IDENTITY_ISSUER", "https://id.test.my"},
                  {"IDENTITY_AUDIENCE", "jkjav"}},
                 "cannot read /nonexistent/jwks.json"},
        BadStart{"IdentityTwoKeySources",
                 kTestCampaign,
                 {{"IDENTITY_JWKS_FILE", "/a.json"}, {"IDENTITY_PUBLIC_KEY_FILE", "/b.pem"}},
                 "set one key source"}),
    ByLabel());

}  // namespace
}  // namespace jkjav::testing
