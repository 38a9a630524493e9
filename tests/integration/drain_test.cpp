// SIGTERM under a crowd of keep-alive clients: every request the server read is answered, each
// client sees a whole response or a clean close, and Redis holds exactly the bookings confirmed.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

#include "server_suite.hpp"
#include "timed_connection.hpp"

namespace jkjav::testing {
namespace {

using namespace std::chrono_literals;

// PWTC's 30 dates in the test campaign, 1000 places each.
std::vector<std::string> pwtcDates() {
    std::vector<std::string> dates;
    for (int day = 16; day <= 31; ++day) dates.push_back("202105" + std::to_string(day));
    for (int day = 1; day <= 14; ++day)
        dates.push_back((day < 10 ? "2021060" : "202106") + std::to_string(day));
    return dates;
}

struct ClientView {
    std::atomic<int> responses{0};
    std::atomic<int> confirmed{0};   // 200: a booking the server says it made
    std::atomic<int> cleanClose{0};  // a request sent, then the connection closed without a byte
    std::atomic<int> partial{0};
    std::atomic<int> timedOut{0};
};

// One keep-alive connection booking as fast as the server answers, distinct people, until the
// server closes it (bounded: at most 250 requests).
void bookUntilClosed(int port, int connection, const std::vector<std::string>& dates, ClientView& view) {
    TimedConnection client(port, 10s);
    if (!client.connected()) return;
    for (int i = 0; i < 250; ++i) {
        const std::string body =
            bookingBody(myKadFor(connection * 1000 + i), "PWTC", dates[i % dates.size()]);
        const std::string request =
            "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body;
        if (!client.send(request)) return;  // closed before it could be sent: nothing to expect
        const RawReply reply = client.receive();
        switch (reply.kind) {
            case RawReply::Kind::kResponse:
                ++view.responses;
                if (reply.status == 200) ++view.confirmed;
                if (reply.closes()) return;
                break;
            case RawReply::Kind::kClosedClean:
                ++view.cleanClose;
                return;
            case RawReply::Kind::kPartial:
                ++view.partial;
                return;
            case RawReply::Kind::kTimedOut:
                ++view.timedOut;
                return;
        }
    }
}

TEST(Drain, SigtermUnderLoadAnswersEveryRequestItRead) {
    TempDir dir;
    RedisServer redis(dir.path());
    redis.start();
    const std::string log = dir.path() + "/server.log";
    JkjavServer server(dir.write("campaign.json", kTestCampaign), redis.url(), {{"DRAIN_SECONDS", "10"}},
                       log);
    server.start();

    const auto dates = pwtcDates();
    ClientView view;
    std::vector<std::thread> clients;
    for (int connection = 0; connection < 64; ++connection) {
        clients.emplace_back(bookUntilClosed, server.port(), connection, std::cref(dates), std::ref(view));
    }
    ASSERT_TRUE(eventually([&] { return view.responses.load() >= 1000; }, 30s));
    server.process().signal(SIGTERM);
    for (auto& client : clients) client.join();
    EXPECT_EQ(server.process().waitForExit(15s), 0);

    // The server's view: every request whose bytes it read got its response written.
    std::ifstream file(log);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::smatch match;
    ASSERT_TRUE(std::regex_search(text, match, std::regex("drain: (\\d+) requests read, (\\d+) answered")))
        << text;
    const long long read = std::stoll(match[1]);
    const long long answered = std::stoll(match[2]);
    EXPECT_EQ(read, answered);
    EXPECT_GE(answered, view.responses.load());  // (it also answered the fixture's readiness probes)

    std::printf(
        "drain: clients got %d responses (%d confirmed), %d clean closes; server read %lld, answered %lld\n",
        view.responses.load(), view.confirmed.load(), view.cleanClose.load(), read, answered);
    // The clients' view: a whole response or a clean close, never half of one, never silence.
    EXPECT_EQ(view.partial.load(), 0);
    EXPECT_EQ(view.timedOut.load(), 0);
    EXPECT_LE(view.cleanClose.load(), 64);
    // And Redis: every booking made was confirmed to its client; none made without them knowing.
    long long booked = 0;
    for (const auto& date : dates)
        booked += 1000 - redis.probe().integer({"HGET", "jkjav:slots", "PWTC:" + date});
    EXPECT_EQ(booked, view.confirmed.load());
}

}  // namespace
}  // namespace jkjav::testing
