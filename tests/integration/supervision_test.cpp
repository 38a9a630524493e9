// No loop of the server dies silently: with JKJAV_FAILPOINT=loops-throw-once every supervised loop's
// first run throws. Each is logged by name and restarted, and the server does what each loop is for:
// it accepts, closes silent connections, reaches Redis through the Sentinels, publishes availability
// and runs the queue's admission rounds.
#include <fstream>

#include "sentinel_cluster.hpp"
#include "server_suite.hpp"
#include "timed_connection.hpp"

namespace jkjav::testing {
namespace {

using namespace std::chrono_literals;

// PWTC with a queue that is open (opensAt long past), so the ticker has rounds to run.
constexpr const char* kQueueCampaign = R"({"name": "supervised",
  "queue": {"opensAt": "2021-05-26T12:00:00+08:00", "preQueueOpensAt": "2021-05-26T11:00:00+08:00",
            "admitPerSecond": 50, "admissionSeconds": 60, "overAdmitFactor": 1.2},
  "locations": [{"code": "PWTC", "dates": [{"date": "20210601", "capacity": 100}]}]})";

std::string readFile(const std::string& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(Supervision, EveryLoopThatThrowsIsLoggedAndRestarted) {
    SentinelCluster cluster;
    cluster.start();
    TempDir dir;
    const std::string log = dir.path() + "/server.log";
    JkjavServer server(dir.write("campaign.json", kQueueCampaign), cluster.initialPrimaryUrl(),
                       {{"JKJAV_FAILPOINT", "loops-throw-once"},
                        {"REDIS_SENTINELS", cluster.sentinelList()},
                        {"QUEUE_SECRET", std::string(48, 'k')},
                        {"FIRST_BYTE_TIMEOUT_MS", "500"}},
                       log);
    server.start();  // /readyz 200: Redis reached and the campaign's snapshot published

    for (const char* loop :
         {"http acceptor", "http idle sweep", "redis supervision", "redis watchdog", "sentinel watch",
          "sentinel keep-alive", "sentinel quorum watch", "snapshot publisher", "queue ticker"}) {
        const std::string line = "loop '" + std::string(loop) + "' failed: failpoint loops-throw-once in '" +
                                 loop + "'; restarting";
        EXPECT_TRUE(eventually([&] { return readFile(log).find(line) != std::string::npos; }, 10s))
            << "no '" << line << "' in\n"
            << readFile(log);
    }
    // Recovered: the acceptor takes connections and the sweep closes one that stays silent.
    HttpClient client(server.port());
    EXPECT_EQ(client.get("/stations/PWTC").status, 200);
    TimedConnection silent(server.port(), 10s);
    EXPECT_EQ(silent.receive().kind, RawReply::Kind::kClosedClean);
    // The watch subscribed once its restart came, and the ticker's rounds answer (the queue's
    // figures appear in /metrics only after one has).
    EXPECT_NE(readFile(log).find("following moves of the primary"), std::string::npos);
    EXPECT_TRUE(eventually(
        [&] { return client.get("/metrics").body.find("\njkjav_queue_open ") != std::string::npos; }));
    EXPECT_EQ(readFile(log).find("giving up"), std::string::npos);
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace jkjav::testing
