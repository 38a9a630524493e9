// One port, one server: a second jkjav-server started on a port another process already serves
// refuses to start, instead of joining it through SO_REUSEPORT (the kernel would then split the
// connections between two servers whose relays share one consumer name).
#include <filesystem>
#include <fstream>
#include <iterator>

#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

std::string readFile(const std::string& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(PortSharing, ASecondServerOnATakenPortExitsNonZeroAndTheFirstKeepsTheWholePort) {
    TempDir dir;
    const std::string campaign = dir.write("campaign.json", kTestCampaign);
    RedisServer redis(dir.path());
    redis.start();
    JkjavServer first(campaign, redis.url(), {{"THREADS", "2"}}, dir.path() + "/first.log");
    first.start();

    const std::string secondLog = dir.path() + "/second.log";
    const std::string secondPortFile = dir.path() + "/second.port";
    ChildProcess second({serverBinary()},
                        {{"PORT", std::to_string(first.port())},
                         {"PORT_FILE", secondPortFile},
                         {"REDIS_URL", redis.url()},
                         {"CAMPAIGN_FILE", campaign},
                         {"THREADS", "2"}},
                        secondLog);
    const auto status = second.waitForExit(std::chrono::seconds(10));
    ASSERT_TRUE(status.has_value()) << "the second server is still running on port " << first.port();
    EXPECT_EQ(*status, 1);
    const std::string output = readFile(secondLog);
    EXPECT_NE(output.find("already in use by another process"), std::string::npos) << output;
    EXPECT_NE(output.find("critical"), std::string::npos) << output;
    EXPECT_FALSE(std::filesystem::exists(secondPortFile)) << "the refused server claimed the port";

    // The first server still answers on its port, and it alone: the second never listened.
    EXPECT_EQ(HttpClient(first.port()).get("/healthz").status, 200);
    EXPECT_EQ(first.stop(), 0);
}

// The refusal is about the port, not the program: a foreign listener that set SO_REUSEPORT (as
// jkjav-server's own threads do) is refused the same way.
TEST(PortSharing, AForeignListenerWithReusePortIsNotJoined) {
    TempDir dir;
    const std::string campaign = dir.write("campaign.json", kTestCampaign);
    const std::string holderPortFile = dir.path() + "/holder.port";
    ChildProcess holder({"python3", "-c",
                         "import socket,sys,time\n"
                         "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
                         "s.bind(('127.0.0.1',0)); s.listen()\n"
                         "open(sys.argv[1]+'.tmp','w').write(str(s.getsockname()[1]))\n"
                         "import os; os.rename(sys.argv[1]+'.tmp', sys.argv[1])\n"
                         "time.sleep(60)\n",
                         holderPortFile});
    const int port = readPortFile(holderPortFile, holder);

    const std::string log = dir.path() + "/server.log";
    ChildProcess server({serverBinary()},
                        {{"PORT", std::to_string(port)},
                         {"REDIS_URL", "redis://127.0.0.1:1"},
                         {"CAMPAIGN_FILE", campaign},
                         {"THREADS", "1"}},
                        log);
    const auto status = server.waitForExit(std::chrono::seconds(10));
    ASSERT_TRUE(status.has_value()) << "jkjav-server joined port " << port << " held by another process";
    EXPECT_EQ(*status, 1);
    const std::string output = readFile(log);
    EXPECT_NE(output.find("port " + std::to_string(port) + " on 127.0.0.1 is already in use"),
              std::string::npos)
        << output;
}

}  // namespace
}  // namespace jkjav::testing
