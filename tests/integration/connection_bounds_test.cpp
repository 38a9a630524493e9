// Silent sockets against a server with few file descriptors: what it cannot hold it refuses at once,
// what stays silent it closes, and everyone else keeps being answered.
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "server_suite.hpp"
#include "timed_connection.hpp"

namespace jkjav::testing {
namespace {

using namespace std::chrono_literals;

std::string readFile(const std::string& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

class ConnectionBounds : public ::testing::Test {
  protected:
    // A server allowed 256 descriptors, as in the issue.
    std::unique_ptr<ChildProcess> startServer(std::map<std::string, std::string> extraEnv) {
        const std::string campaign = dir_.write("campaign.json", kTestCampaign);
        const AdminRun seeded = seedCampaign(campaign, redis_.url());
        if (seeded.exitCode != 0) throw std::runtime_error("jkjav-admin seed failed: " + seeded.output);
        std::map<std::string, std::string> env{{"PORT", "0"},
                                               {"PORT_FILE", dir_.path() + "/port"},
                                               {"REDIS_URL", redis_.url()},
                                               {"CAMPAIGN_FILE", campaign},
                                               {"THREADS", "2"},
                                               {"SNAPSHOT_MS", "50"},
                                               {"FIRST_BYTE_TIMEOUT_MS", "300"},
                                               {"HEADER_TIMEOUT_MS", "300"}};
        env.merge(extraEnv);
        auto server = std::make_unique<ChildProcess>(
            std::vector<std::string>{"prlimit", "--nofile=256:256", serverBinary()}, env, log_);
        port_ = readPortFile(dir_.path() + "/port", *server);
        return server;
    }

    TempDir dir_;
    RedisServer redis_{dir_.path()};
    std::string log_ = dir_.path() + "/server.log";
    int port_ = 0;  // the server's, once startServer read it
};

TEST_F(ConnectionBounds, SilentSocketsNeverLockOutAFreshClient) {
    redis_.start();
    auto server = startServer({});  // MAX_CONNECTIONS left to its default, derived from the limit
    std::smatch match;
    std::string log;
    const std::regex announced("max connections: (\\d+) \\(open-file limit 256\\)");
    ASSERT_TRUE(eventually([&] {
        log = readFile(log_);
        return std::regex_search(log, match, announced);
    })) << log;
    const int maxConnections = std::stoi(match[1]);
    ASSERT_GT(maxConnections, 16);
    ASSERT_LT(maxConnections, 256);
    ASSERT_TRUE(eventually([&] { return HttpClient(port_).get("/readyz").status == 200; }));

    TimedConnection keeper(port_, 2s);  // an established keep-alive client
    ASSERT_EQ(keeper.exchange(kHealthz).status, 200);

    std::vector<std::unique_ptr<TimedConnection>> silent;
    for (int i = 0; i < 2 * maxConnections; ++i) {
        silent.push_back(std::make_unique<TimedConnection>(port_, 5s));
        ASSERT_TRUE(silent.back()->connected()) << i;
    }
    const auto held = std::chrono::steady_clock::now();
    EXPECT_EQ(keeper.exchange(kHealthz).status, 200);  // served while the silent ones crowd in

    // Once the silent ones are past their first-byte deadline, a newcomer is answered within a second.
    std::chrono::steady_clock::duration answeredIn{};
    EXPECT_TRUE(eventually(
        [&] {
            TimedConnection fresh(port_, 1s);
            const auto asked = std::chrono::steady_clock::now();
            if (fresh.exchange(kHealthz).status != 200) return false;
            answeredIn = std::chrono::steady_clock::now() - asked;
            return std::chrono::steady_clock::now() - held > 300ms && answeredIn < 1s;
        },
        10s));
    EXPECT_EQ(keeper.exchange(kHealthz).status, 200);

    // Every silent socket was let go by the server: over the limit with a 503 at once, the rest
    // closed at their deadline. None is left hanging.
    int refused = 0;
    int closed = 0;
    for (auto& connection : silent) {
        const RawReply reply = connection->receive();
        if (reply.kind == RawReply::Kind::kResponse && reply.status == 503) {
            EXPECT_NE(reply.body.find("\"code\":\"SERVER_BUSY\""), std::string::npos) << reply.body;
            EXPECT_NE(reply.head.find("Retry-After: 1"), std::string::npos) << reply.head;
            EXPECT_NE(reply.head.find("X-Request-Id: "), std::string::npos) << reply.head;
            ++refused;
        } else if (reply.kind == RawReply::Kind::kClosedClean) {
            ++closed;
        }
    }
    EXPECT_EQ(refused + closed, 2 * maxConnections);
    EXPECT_GE(refused, maxConnections / 2);
    EXPECT_EQ(keeper.exchange(kHealthz).status, 200);

    server->signal(SIGTERM);
    EXPECT_EQ(server->waitForExit(15s), 0);
    log = readFile(log_);
    // Refusals are reported once a second with a count, never a line each.
    const auto lines = std::count(log.begin(), log.end(), '\n');
    EXPECT_LT(lines, 40) << log;
    EXPECT_EQ(log.find("accept failed"), std::string::npos) << log;  // the limit kept EMFILE away
}

TEST_F(ConnectionBounds, OutOfDescriptorsTheServerBacksOffLogsACountAndRecovers) {
    redis_.start();
    auto server = startServer({{"MAX_CONNECTIONS", "5000"}});  // set too high: accept meets EMFILE
    ASSERT_TRUE(eventually([&] { return HttpClient(port_).get("/readyz").status == 200; }));
    TimedConnection keeper(port_, 2s);
    ASSERT_EQ(keeper.exchange(kHealthz).status, 200);

    std::vector<std::unique_ptr<TimedConnection>> silent;
    for (int i = 0; i < 400; ++i) silent.push_back(std::make_unique<TimedConnection>(port_, 5s));
    std::string log;
    ASSERT_TRUE(eventually([&] {
        log = readFile(log_);
        return log.find("accept failed") != std::string::npos;
    })) << log;
    EXPECT_EQ(keeper.exchange(kHealthz).status, 200);  // what is open is still served
    // The silent ones are closed at their deadline, those queued behind them get accepted and closed
    // in turn, and then a newcomer is answered again.
    EXPECT_TRUE(eventually([&] { return TimedConnection(port_, 1s).exchange(kHealthz).status == 200; }, 20s));
    EXPECT_EQ(keeper.exchange(kHealthz).status, 200);
    silent.clear();

    server->signal(SIGTERM);
    EXPECT_EQ(server->waitForExit(15s), 0);
    log = readFile(log_);
    // Hundreds of failed accepts, a line a second at most, each with its count.
    const std::regex reported("accept failed \\((\\d+) times since the last report\\)");
    int lines = 0;
    for (std::sregex_iterator it(log.begin(), log.end(), reported), end; it != end; ++it) ++lines;
    EXPECT_GE(lines, 1) << log;
    EXPECT_LE(lines, 25) << log;
}

}  // namespace
}  // namespace jkjav::testing
