// SIGTERM under a crowd of keep-alive clients: every request written to an open connection is
// answered, the answers from the drain on say Connection: close, a connection closes only once it has
// been quiet for DRAIN_QUIET_MS, and Redis holds exactly the bookings confirmed. Straight to the
// server, and through HAProxy (deploy/haproxy/haproxy.cfg) as in a rolling restart.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "fixtures.hpp"
#include "haproxy_server.hpp"
#include "timed_connection.hpp"

namespace jkjav::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 64;
// Each client books people of its own (client * kRequestsPerClient + i), so at most this many each.
constexpr int kRequestsPerClient = 10'000;
constexpr long long kPlacesPerDay = 100'000;

// PWTC with places enough that the crowd never sells a date out: every booking answers 200.
constexpr const char* kRoomyCampaign = R"({"name": "drain",
  "locations": [{"code": "PWTC", "dates": {"from": "20210516", "to": "20210614"}, "capacityPerDay": 100000}]})";

// PWTC's 30 dates.
std::vector<std::string> pwtcDates() {
    std::vector<std::string> dates;
    for (int day = 16; day <= 31; ++day) dates.push_back("202105" + std::to_string(day));
    for (int day = 1; day <= 14; ++day)
        dates.push_back((day < 10 ? "2021060" : "202106") + std::to_string(day));
    return dates;
}

std::string bookingRequest(int person, const std::string& date) {
    const std::string body = bookingBody(myKadFor(person), "PWTC", date);
    return "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct ClientView {
    std::atomic<int> responses{0};
    std::atomic<int> confirmed{0};      // 200: a booking the server says it made
    std::atomic<int> failed{0};         // any other status
    std::atomic<int> toldToClose{0};    // answers that said Connection: close
    std::atomic<int> keptAliveLate{0};  // keep-alive answers to requests sent after SIGTERM was seen
    std::atomic<int> refusedToSend{0};  // the connection would not take a request
    std::atomic<int> unanswered{0};     // a request sent, then the connection closed without a byte
    std::atomic<int> partial{0};
    std::atomic<int> timedOut{0};
    std::atomic<bool> stop{false};       // through HAProxy: the test has seen enough
    std::atomic<bool> drainSeen{false};  // the server has logged that it drains
};

enum class OnClose { kStop, kReconnect };

// One keep-alive connection booking as fast as it is answered, distinct people, until an answer says
// Connection: close (kReconnect: then on a new connection), the test says stop, or a failure.
// `port`: the server's or HAProxy's.
void bookUntilClosed(int port, int client, const std::vector<std::string>& dates, ClientView& view,
                     OnClose onClose) {
    auto connection = std::make_unique<TimedConnection>(port, 10s);
    for (int i = 0; i < kRequestsPerClient && !view.stop.load(); ++i) {
        const bool afterDrainSeen = view.drainSeen.load();
        if (!connection->connected() ||
            !connection->send(bookingRequest(client * kRequestsPerClient + i, dates[i % dates.size()]))) {
            ++view.refusedToSend;
            return;
        }
        const RawReply reply = connection->receive();
        switch (reply.kind) {
            case RawReply::Kind::kResponse:
                ++view.responses;
                ++(reply.status == 200 ? view.confirmed : view.failed);
                if (reply.closes()) {
                    ++view.toldToClose;
                    if (onClose == OnClose::kStop) return;
                    connection = std::make_unique<TimedConnection>(port, 10s);
                } else if (afterDrainSeen) {
                    ++view.keptAliveLate;
                }
                break;
            case RawReply::Kind::kClosedClean:
                ++view.unanswered;
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

std::string readFile(const std::string& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// Logged once every listener of the server drains: from then on no answer says keep-alive.
bool drainLogged(const std::string& log) {
    return readFile(log).find("stopping: every listener drains") != std::string::npos;
}

// The server's own count, logged as it exits: every request whose bytes it read got its answer.
void expectEveryReadRequestAnswered(const std::string& log) {
    const std::string text = readFile(log);
    std::smatch match;
    ASSERT_TRUE(std::regex_search(text, match, std::regex("drain: (\\d+) requests read, (\\d+) answered")))
        << text;
    EXPECT_EQ(match[1], match[2]);
    EXPECT_EQ(text.find("connections still open after"), std::string::npos)
        << "the drain ran out of DRAIN_SECONDS instead of ending when the connections did";
}

long long bookedInRedis(RedisProbe& redis, const std::vector<std::string>& dates) {
    long long booked = 0;
    for (const auto& date : dates)
        booked += kPlacesPerDay - redis.integer({"HGET", "jkjav:slots", "PWTC:" + date});
    return booked;
}

void printView(const char* name, const ClientView& view) {
    std::printf(
        "%s: %d responses (%d confirmed, %d failed), %d told to close, %d kept alive after the drain was "
        "logged; %d unanswered, %d refused to send, %d partial, %d timed out\n",
        name, view.responses.load(), view.confirmed.load(), view.failed.load(), view.toldToClose.load(),
        view.keptAliveLate.load(), view.unanswered.load(), view.refusedToSend.load(), view.partial.load(),
        view.timedOut.load());
}

TEST(Drain, SigtermUnderKeepAliveLoadAnswersEveryRequestSent) {
    TempDir dir;
    RedisServer redis(dir.path());
    redis.start();
    const std::string log = dir.path() + "/server.log";
    JkjavServer server(dir.write("campaign.json", kRoomyCampaign), redis.url(), {{"DRAIN_SECONDS", "10"}},
                       log);
    server.start();

    const auto dates = pwtcDates();
    ClientView view;
    std::vector<std::thread> clients;
    for (int client = 0; client < kClients; ++client)
        clients.emplace_back(bookUntilClosed, server.port(), client, std::cref(dates), std::ref(view),
                             OnClose::kStop);
    ASSERT_TRUE(eventually([&] { return view.responses.load() >= 1000; }, 30s));
    const auto signalledAt = Clock::now();
    server.process().signal(SIGTERM);
    ASSERT_TRUE(eventually([&] { return drainLogged(log); }, 10s));
    view.drainSeen = true;
    for (auto& client : clients) client.join();
    EXPECT_EQ(server.process().waitForExit(15s), 0);
    const auto drainTook = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalledAt);
    printView("drain", view);
    std::printf("drain: the server exited %lld ms after SIGTERM\n",
                static_cast<long long>(drainTook.count()));

    // Every client wrote its next request to an open connection and got its answer, which told it to
    // close: none was closed on, none left waiting.
    EXPECT_EQ(view.unanswered.load(), 0);
    EXPECT_EQ(view.refusedToSend.load(), 0);
    EXPECT_EQ(view.partial.load(), 0);
    EXPECT_EQ(view.timedOut.load(), 0);
    EXPECT_EQ(view.toldToClose.load(), kClients);
    // Once the server has said it drains, no answer keeps a connection open.
    EXPECT_EQ(view.keptAliveLate.load(), 0);
    expectEveryReadRequestAnswered(log);
    // And Redis: every booking made was confirmed to its client; none made without them knowing.
    EXPECT_EQ(bookedInRedis(redis.probe(), dates), view.confirmed.load());
}

TEST(Drain, AnIdleConnectionIsServedUntilQuietForDrainQuiet) {
    TempDir dir;
    RedisServer redis(dir.path());
    redis.start();
    const std::string log = dir.path() + "/server.log";
    JkjavServer server(dir.write("campaign.json", kRoomyCampaign), redis.url(),
                       {{"DRAIN_SECONDS", "20"}, {"DRAIN_QUIET_MS", "1500"}}, log);
    server.start();
    const std::string lookup = "GET /stations/PWTC HTTP/1.1\r\nHost: t\r\n\r\n";
    TimedConnection busy(server.port(), 10s);
    TimedConnection quiet(server.port(), 10s);
    ASSERT_FALSE(busy.exchange(lookup).closes());
    ASSERT_FALSE(quiet.exchange(lookup).closes());

    const auto signalledAt = Clock::now();
    server.process().signal(SIGTERM);
    ASSERT_TRUE(eventually([&] { return drainLogged(log); }, 10s));
    // An idle keep-alive connection is not closed at once: its next request is answered, and told
    // to close.
    const RawReply late = busy.exchange(lookup);
    EXPECT_EQ(late.kind, RawReply::Kind::kResponse);
    EXPECT_EQ(late.status, 200);
    EXPECT_TRUE(late.closes()) << late.head;
    // One that stays quiet is closed once DRAIN_QUIET_MS have passed, long before DRAIN_SECONDS.
    const RawReply closed = quiet.receive();
    const auto closedAfter = Clock::now() - signalledAt;
    EXPECT_EQ(closed.kind, RawReply::Kind::kClosedClean);
    EXPECT_GE(closedAfter, 1500ms);
    EXPECT_LT(closedAfter, 10s);
    EXPECT_EQ(server.process().waitForExit(10s), 0);
    expectEveryReadRequestAnswered(log);
}

// A rolling restart: two servers behind HAProxy, 64 keep-alive clients booking through it, one server
// SIGTERMed. HAProxy's checks take it out; until they do, what it sends there is answered. No client
// sees an error.
TEST(Drain, BehindHaproxyARollingRestartCostsClientsNoError) {
    TempDir dir;
    RedisServer redis(dir.path());
    redis.start();
    const std::string campaign = dir.write("campaign.json", kRoomyCampaign);
    const std::string drainedLog = dir.path() + "/drained.log";
    const std::map<std::string, std::string> env{{"THREADS", "1"}, {"DRAIN_SECONDS", "15"}};
    JkjavServer drained(campaign, redis.url(), env, drainedLog);
    JkjavServer staying(campaign, redis.url(), env, dir.path() + "/staying.log");
    drained.start();
    staying.start();
    HaproxyServer proxy(dir.path(), {drained.port(), staying.port()});
    proxy.start();

    const auto dates = pwtcDates();
    ClientView view;
    std::vector<std::thread> clients;
    for (int client = 0; client < kClients; ++client)
        clients.emplace_back(bookUntilClosed, proxy.port(), client, std::cref(dates), std::ref(view),
                             OnClose::kReconnect);
    ASSERT_TRUE(eventually([&] { return view.responses.load() >= 1000; }, 30s));
    const auto signalledAt = Clock::now();
    drained.process().signal(SIGTERM);
    const bool takenOut = proxy.waitForState("api-1", "DOWN", 10s);
    const auto downAfter = Clock::now() - signalledAt;
    const auto exitCode = drained.process().waitForExit(20s);
    const auto exitAfter = Clock::now() - signalledAt;
    // Bookings go on through the server that stays.
    const int atExit = view.responses.load();
    const bool wentOn = eventually([&] { return view.responses.load() >= atExit + 1000; }, 30s);
    view.stop = true;
    for (auto& client : clients) client.join();
    printView("drain behind HAProxy", view);
    std::smatch counts;
    const std::string drainedText = readFile(drainedLog);
    std::regex_search(drainedText, counts, std::regex("drain: \\d+ requests read, \\d+ answered"));
    std::printf(
        "drain behind HAProxy: HAProxy took the server out after %lld ms, it exited after %lld ms (%s)\n",
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(downAfter).count()),
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(exitAfter).count()),
        counts.empty() ? "no drain line" : counts.str(0).c_str());

    EXPECT_TRUE(takenOut) << "HAProxy did not take the draining server out";
    EXPECT_EQ(exitCode, 0);
    EXPECT_TRUE(wentOn);
    EXPECT_EQ(view.failed.load(), 0) << readFile(proxy.logFile());
    EXPECT_EQ(view.unanswered.load(), 0);
    EXPECT_EQ(view.refusedToSend.load(), 0);
    EXPECT_EQ(view.partial.load(), 0);
    EXPECT_EQ(view.timedOut.load(), 0);
    expectEveryReadRequestAnswered(drainedLog);
    EXPECT_EQ(bookedInRedis(redis.probe(), dates), view.confirmed.load());
}

}  // namespace
}  // namespace jkjav::testing
