// The waiting room over HTTP, against real jkjav-servers and a real Redis: one place per person,
// forged tickets refused, the booking gate, sell-out closing the queue and cancellations reopening
// it, and two servers sharing one Redis keeping one admission rate and one cap.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

const std::string kSecret = "a-test-queue-secret-of-more-than-32-bytes";

struct QueueCampaign {
    int capacity = 5;
    double admitPerSecond = 200;
    int admissionSeconds = 600;
    double overAdmitFactor = 1.2;
    std::string opensAt = "2021-05-26T12:00:00+08:00";  // long past: open
    std::string preQueueOpensAt = "2021-05-26T11:00:00+08:00";
    std::string offerWaitlist;   // "true" / "false"; empty: the default
    int secondDateCapacity = 0;  // > 0: PWTC also has 20210602 with these seats
};

// An RFC 3339 time `from` now (whole seconds, UTC).
std::string timeFromNow(std::chrono::seconds from) {
    const std::time_t at = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from);
    std::tm utc{};
    gmtime_r(&at, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string campaignJson(const QueueCampaign& c) {
    return R"({"name": "queue", "queue": {"opensAt": ")" + c.opensAt + R"(", "preQueueOpensAt": ")" +
           c.preQueueOpensAt + R"(",
      "admitPerSecond": )" +
           std::to_string(c.admitPerSecond) + R"(, "admissionSeconds": )" +
           std::to_string(c.admissionSeconds) + R"(, "overAdmitFactor": )" +
           std::to_string(c.overAdmitFactor) +
           (c.offerWaitlist.empty() ? "" : R"(, "offerWaitlist": )" + c.offerWaitlist) + R"(},
      "locations": [{"code": "PWTC", "dates": [{"date": "20210601", "capacity": )" +
           std::to_string(c.capacity) + "}" +
           (c.secondDateCapacity > 0
                ? R"(, {"date": "20210602", "capacity": )" + std::to_string(c.secondDateCapacity) + "}"
                : "") +
           "]}]}";
}

std::string field(const HttpReply& reply, const char* name) {
    const auto json = reply.json();
    if (!json.is_object() || !json.as_object().contains(name)) return "";
    const auto& value = json.at(name);
    return value.is_string() ? std::string(value.as_string()) : boost::json::serialize(value);
}

class Queue : public ::testing::Test {
  protected:
    // One Redis, `servers` jkjav-servers sharing it, all with the same secret.
    void start(const QueueCampaign& campaign, int servers = 1, std::map<std::string, std::string> env = {}) {
        env["QUEUE_SECRET"] = kSecret;
        redis_ = std::make_unique<RedisServer>(dir_.path());
        redis_->start();
        const std::string file = dir_.write("queue.json", campaignJson(campaign));
        for (int i = 0; i < servers; ++i) {
            servers_.push_back(std::make_unique<JkjavServer>(
                file, redis_->url(), env, dir_.path() + "/server" + std::to_string(i) + ".log"));
            servers_.back()->start();
            clients_.push_back(std::make_unique<HttpClient>(servers_.back()->port()));
        }
    }
    HttpClient& client(int i = 0) { return *clients_[i]; }
    RedisProbe& redis() { return redis_->probe(); }

    HttpReply join(const std::string& id, int server = 0) {
        return client(server).postJson("/queue", R"({"mysejahteraId":")" + id + R"("})");
    }
    HttpReply status(const std::string& ticket, int server = 0) {
        return client(server).get("/queue/" + ticket);
    }
    HttpReply book(const std::string& id, const std::optional<std::string>& ticket, int server = 0,
                   bool waitlist = false) {
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
        if (ticket) headers["X-Queue-Ticket"] = *ticket;
        std::string body = bookingBody(id, "PWTC", "20210601");
        if (waitlist) body = body.substr(0, body.size() - 1) + R"(,"waitlist":true})";
        return client(server).request("POST", "/booking", body, headers);
    }
    // Admits and books the first `count` of `tickets` (people `firstPerson`...), in order.
    void bookInOrder(const std::vector<std::string>& tickets, int firstPerson, int count) {
        for (int i = 0; i < count; ++i) {
            const auto admitted = waitForState(tickets[i], "admitted");
            ASSERT_EQ(field(admitted, "state"), "admitted") << admitted.body;
            ASSERT_EQ(book(myKadFor(firstPerson + i), field(admitted, "ticket")).status, 200);
        }
    }
    // Polls the ticket's status until its state is `state` (within the deadline); the last answer.
    HttpReply waitForState(const std::string& ticket, const std::string& state,
                           std::chrono::milliseconds deadline = std::chrono::milliseconds(10'000)) {
        HttpReply last;
        eventually(
            [&] {
                last = status(ticket);
                return field(last, "state") == state;
            },
            deadline);
        return last;
    }

    TempDir dir_;
    std::unique_ptr<RedisServer> redis_;
    std::vector<std::unique_ptr<JkjavServer>> servers_;
    std::vector<std::unique_ptr<HttpClient>> clients_;
};

TEST_F(Queue, OnePlacePerPerson) {
    start({});
    const auto first = join(myKadFor(1));
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_FALSE(field(first, "ticket").empty());
    EXPECT_FALSE(first.header("retry-after").empty());
    EXPECT_EQ(first.body.find(myKadFor(1)), std::string::npos) << "the ticket carries no id";
    const auto again = join(myKadFor(1));
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(field(again, "ticket"), field(first, "ticket"));
    EXPECT_EQ(redis().integer({"ZCARD", "jkjav:queue:lane"}), 1);
}

TEST_F(Queue, WaitingTicketsAreAnsweredWithoutRedis) {
    // One admission a second: the 20th in line waits, and their status comes from the snapshot.
    start({.admitPerSecond = 1});
    std::string ticket;
    for (int person = 40; person < 60; ++person) ticket = field(join(myKadFor(person)), "ticket");
    ASSERT_EQ(field(waitForState(ticket, "waiting"), "state"), "waiting");
    redis_->pause();  // connected, answering nothing
    const auto answered = status(ticket);
    redis_->resume();
    EXPECT_EQ(answered.status, 200) << answered.body;
    EXPECT_EQ(field(answered, "state"), "waiting");
    EXPECT_GT(std::stoll(field(answered, "ahead")), 0);
}

TEST_F(Queue, JoiningIsJudgedLikeBooking) {
    start({});
    const auto invalid = join("12345");
    EXPECT_EQ(invalid.status, 400);
    EXPECT_EQ(field(invalid, "code"), "INVALID_REQUEST");
    const auto noId = client().postJson("/queue", "{}");
    EXPECT_EQ(noId.status, 400);
    EXPECT_EQ(field(noId, "code"), "INVALID_REQUEST");
}

TEST_F(Queue, ForgedTicketsAreRefusedEverywhere) {
    start({});
    const auto joined = join(myKadFor(2));
    ASSERT_EQ(joined.status, 200);
    std::string forged = field(joined, "ticket");
    forged[forged.size() / 2] = forged[forged.size() / 2] == 'a' ? 'b' : 'a';
    const auto atStatus = status(forged);
    EXPECT_EQ(atStatus.status, 400);
    EXPECT_EQ(field(atStatus, "code"), "INVALID_TICKET");
    const auto atBooking = book(myKadFor(2), forged);
    EXPECT_EQ(atBooking.status, 400);
    EXPECT_EQ(field(atBooking, "code"), "INVALID_TICKET");
    EXPECT_EQ(status("not-a-ticket").status, 400);
}

TEST_F(Queue, BookingNeedsThisPersonsAdmittedTicket) {
    start({.capacity = 5, .admitPerSecond = 200, .admissionSeconds = 1});
    const auto without = book(myKadFor(3), std::nullopt);
    EXPECT_EQ(without.status, 403);
    EXPECT_EQ(field(without, "code"), "QUEUE_REQUIRED");
    EXPECT_NE(field(without, "message").find("/queue"), std::string::npos) << "says where to join";

    const std::string mine = field(join(myKadFor(3)), "ticket");
    const std::string theirs = field(join(myKadFor(4)), "ticket");
    ASSERT_EQ(field(waitForState(theirs, "admitted"), "state"), "admitted");
    const auto wrongPerson = book(myKadFor(3), theirs);
    EXPECT_EQ(wrongPerson.status, 403);
    EXPECT_EQ(field(wrongPerson, "code"), "QUEUE_REQUIRED");

    // An admission lasts admissionSeconds (1 s here): then it no longer books.
    ASSERT_EQ(field(waitForState(mine, "admitted"), "state"), "admitted");
    const auto ended = waitForState(mine, "closed");
    EXPECT_EQ(field(ended, "reason"), "ADMISSION_ENDED");
    const auto expired = book(myKadFor(3), mine);
    EXPECT_EQ(expired.status, 403);
    EXPECT_EQ(field(expired, "code"), "QUEUE_REQUIRED");
}

TEST_F(Queue, AnAdmittedPersonBooksOnceAndIsToldSoWhenJoiningAgain) {
    start({});
    const std::string ticket = field(join(myKadFor(5)), "ticket");
    const auto admitted = waitForState(ticket, "admitted");
    ASSERT_EQ(field(admitted, "state"), "admitted");
    EXPECT_EQ(field(admitted, "ahead"), "0");
    const auto booked = book(myKadFor(5), field(admitted, "ticket"));
    ASSERT_EQ(booked.status, 200) << booked.body;
    EXPECT_EQ(redis().integer({"ZCARD", "jkjav:queue:admitted"}), 0) << "the booking used the admission";
    EXPECT_EQ(book(myKadFor(5), field(admitted, "ticket")).status, 200) << "a repeat answers the booking";
    const auto rejoin = join(myKadFor(5));
    EXPECT_EQ(rejoin.status, 409);
    EXPECT_EQ(field(rejoin, "code"), "ALREADY_BOOKED");
}

TEST_F(Queue, TheQueueClosesWithinTwoSecondsOfSellingOutAndReopensOnACancellation) {
    // Two slots, admission held back (factor 1: at most as many admitted as slots left).
    start({.capacity = 2, .admitPerSecond = 200, .overAdmitFactor = 1.0});
    std::vector<std::string> tickets;
    for (int person = 10; person < 14; ++person) tickets.push_back(field(join(myKadFor(person)), "ticket"));
    for (int person = 10; person < 12; ++person) {
        const auto admitted = waitForState(tickets[person - 10], "admitted");
        ASSERT_EQ(field(admitted, "state"), "admitted");
        ASSERT_EQ(book(myKadFor(person), field(admitted, "ticket")).status, 200);
    }
    // Sold out: the people still in line see `closed` within two seconds, and new joins at once.
    const auto closed = waitForState(tickets[3], "closed", std::chrono::milliseconds(2000));
    EXPECT_EQ(field(closed, "state"), "closed");
    EXPECT_EQ(field(closed, "reason"), "SOLD_OUT");
    const auto late = join(myKadFor(20));
    EXPECT_EQ(field(late, "state"), "closed");
    EXPECT_EQ(field(late, "reason"), "SOLD_OUT");

    // A cancellation brings a slot back: the queue reopens for the next in line, in order.
    const auto cancelled =
        client().request("DELETE", "/booking/" + myKadFor(10) + "?phoneNumber=012-3456789", "", {});
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    const auto next = waitForState(tickets[2], "admitted");
    EXPECT_EQ(field(next, "state"), "admitted");
    const auto after = status(tickets[3]);
    EXPECT_EQ(field(after, "state"), "waiting") << "one slot: one admission (factor 1), the next waits";
    EXPECT_EQ(field(after, "ahead"), "0");
    EXPECT_EQ(book(myKadFor(12), field(next, "ticket")).status, 200);
}

TEST_F(Queue, TwoServersSharingRedisKeepOneRateAndOneCap) {
    // 20 per second with two tickers: the bookkeeping in Redis must not let them double it.
    start({.capacity = 30, .admitPerSecond = 20, .overAdmitFactor = 1.5}, 2);
    for (int person = 0; person < 120; ++person)
        ASSERT_EQ(join(myKadFor(100 + person), person % 2).status, 200);
    const auto rate = [&] {
        const auto lastMs =
            std::stoll(redis().command({"HGET", "jkjav:queue:state", "lastAdmitMs"}).value_or("0"));
        const auto admitted = redis().integer({"HGET", "jkjav:queue:state", "admittedTotal"});
        return std::pair<long long, long long>{lastMs, admitted};
    };
    ASSERT_TRUE(eventually([&] { return rate().second > 0; }));
    const auto [startMs, startAdmitted] = rate();
    // The cap is 45 (30 x 1.5): wait until it binds.
    ASSERT_TRUE(eventually(
        [&] {
            return redis().integer({"ZCARD", "jkjav:queue:admitted"}) >= 45;
        },
        std::chrono::milliseconds(20'000)));
    const auto [endMs, endAdmitted] = rate();
    EXPECT_LE(static_cast<double>(endAdmitted - startAdmitted),
              std::floor(20.0 * static_cast<double>(endMs - startMs) / 1000.0) + 1)
        << "two servers admitted faster than the one rate";
    // The cap holds with both tickers running: never more than 45 outstanding.
    for (int check = 0; check < 10; ++check) {
        EXPECT_LE(redis().integer({"ZCARD", "jkjav:queue:admitted"}), 45);
        status(field(join(myKadFor(100)), "ticket"), check % 2);  // a round trip: a tick may pass
    }
    EXPECT_EQ(redis().integer({"HGET", "jkjav:queue:state", "admittedTotal"}), 45);
}

TEST_F(Queue, BeforeOpeningEveryoneWaitsForTheDrawThenLearnsTheirPlace) {
    start({.opensAt = timeFromNow(std::chrono::seconds(3)),
           .preQueueOpensAt = timeFromNow(-std::chrono::hours(1))});
    const auto joined = join(myKadFor(30));
    ASSERT_EQ(joined.status, 200) << joined.body;
    EXPECT_EQ(field(joined, "state"), "prequeue");
    const auto retryAfter = std::stoll(joined.header("retry-after"));
    EXPECT_GE(retryAfter, 1);
    EXPECT_LE(retryAfter, 3) << "come back at opening";
    // After opensAt the same ticket learns its place in the draw, and a refreshed ticket carries it.
    const auto drawn = waitForState(field(joined, "ticket"), "admitted");
    ASSERT_EQ(field(drawn, "state"), "admitted") << drawn.body;
    EXPECT_NE(field(drawn, "ticket"), field(joined, "ticket"));
    EXPECT_EQ(book(myKadFor(30), field(drawn, "ticket")).status, 200);
}

TEST_F(Queue, AfterOpeningPreQueueTicketsLearnTheirDrawnPlaceWithoutRedis) {
    // 20 in the draw, 2 slots and factor 1: exactly 2 are ever admitted, 18 wait.
    start({.capacity = 2,
           .admitPerSecond = 200,
           .overAdmitFactor = 1.0,
           // Time enough for the 20 joins below to come before opening on a loaded machine.
           .opensAt = timeFromNow(std::chrono::seconds(5)),
           .preQueueOpensAt = timeFromNow(-std::chrono::hours(1))},
          1, {{"REDIS_TIMEOUT_MS", "300"}});
    std::vector<std::string> tickets;
    for (int person = 300; person < 320; ++person) {
        const auto joined = join(myKadFor(person));
        ASSERT_EQ(field(joined, "state"), "prequeue") << joined.body;
        tickets.push_back(field(joined, "ticket"));
    }
    const std::string log = dir_.path() + "/server0.log";
    ASSERT_TRUE(eventually([&] {
        std::ifstream in(log);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return text.find("the draw is published (20 places)") != std::string::npos;
    }));
    ASSERT_TRUE(eventually([&] { return redis().integer({"ZCARD", "jkjav:queue:admitted"}) == 2; }));
    // Redis answers nothing now: the waiting 18 are answered from the published draw, each with
    // its own place (0..17 ahead) and a ticket re-signed to carry it.
    redis_->pause();
    std::set<std::int64_t> aheads;
    int fromTheDraw = 0;
    for (const auto& ticket : tickets) {
        const auto answer = status(ticket);
        if (answer.status != 200 || field(answer, "state") != "waiting") continue;
        ++fromTheDraw;
        aheads.insert(std::stoll(field(answer, "ahead")));
        EXPECT_NE(field(answer, "ticket"), ticket) << "refreshed with the place";
    }
    redis_->resume();
    EXPECT_EQ(fromTheDraw, 18);
    EXPECT_EQ(aheads.size(), 18U);
    EXPECT_EQ(*aheads.begin(), 0);
    EXPECT_EQ(*aheads.rbegin(), 17);
}

TEST_F(Queue, BeforeThePreQueueOpensJoiningSaysWhen) {
    start({.opensAt = timeFromNow(std::chrono::hours(2)),
           .preQueueOpensAt = timeFromNow(std::chrono::hours(1))});
    const auto early = join(myKadFor(31));
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(field(early, "code"), "QUEUE_NOT_OPEN");
    const auto retryAfter = std::stoll(early.header("retry-after"));
    EXPECT_GT(retryAfter, 3500);
    EXPECT_LE(retryAfter, 3601);
}

TEST_F(Queue, SoldOutOffersTheLineTheWaitlistWithoutAnAdmission) {
    start({.capacity = 1, .admitPerSecond = 200, .overAdmitFactor = 1.0});
    std::vector<std::string> tickets;
    for (int person = 60; person < 63; ++person) tickets.push_back(field(join(myKadFor(person)), "ticket"));
    bookInOrder(tickets, 60, 1);
    const auto closed = waitForState(tickets[1], "closed", std::chrono::milliseconds(2000));
    ASSERT_EQ(field(closed, "reason"), "SOLD_OUT") << closed.body;
    EXPECT_EQ(field(closed, "waitlist"), "true");

    // In line, never admitted: a booking still needs the admission, a waitlist place does not.
    const auto booking = book(myKadFor(61), tickets[1]);
    EXPECT_EQ(booking.status, 403);
    EXPECT_EQ(field(booking, "code"), "QUEUE_REQUIRED");
    const auto waitlisted = book(myKadFor(61), tickets[1], 0, true);
    EXPECT_EQ(waitlisted.status, 202) << waitlisted.body;
    EXPECT_EQ(field(waitlisted, "position"), "1");
    // Without a ticket, or with another person's, still no.
    EXPECT_EQ(book(myKadFor(62), std::nullopt, 0, true).status, 403);
    EXPECT_EQ(book(myKadFor(62), tickets[1], 0, true).status, 403);
    // Whoever joins now is in line too, and told at once.
    const auto late = join(myKadFor(63));
    EXPECT_EQ(field(late, "reason"), "SOLD_OUT");
    EXPECT_EQ(field(late, "waitlist"), "true");
    EXPECT_EQ(book(myKadFor(63), field(late, "ticket"), 0, true).status, 202);
}

// The offer holds only once the whole campaign is sold out: a full date while another has seats
// is no reason to let the line skip its admission.
TEST_F(Queue, AFullDateWhileAnotherHasSeatsGivesTheLineNoWaitlistPlace) {
    start({.capacity = 1, .admitPerSecond = 200, .overAdmitFactor = 1.0, .secondDateCapacity = 1});
    std::vector<std::string> tickets;
    for (int person = 70; person < 73; ++person) tickets.push_back(field(join(myKadFor(person)), "ticket"));
    bookInOrder(tickets, 70, 1);  // 20210601 is full; 20210602 has its seat, held by person 71's admission
    const auto waiting = status(tickets[2]);
    ASSERT_EQ(field(waiting, "state"), "waiting") << waiting.body;
    const auto waitlisted = book(myKadFor(72), tickets[2], 0, true);
    EXPECT_EQ(waitlisted.status, 403) << waitlisted.body;
    EXPECT_EQ(field(waitlisted, "code"), "QUEUE_REQUIRED");
}

TEST_F(Queue, WithoutTheWaitlistOfferTheLineIsNotLetThrough) {
    start({.capacity = 1, .admitPerSecond = 200, .overAdmitFactor = 1.0, .offerWaitlist = "false"});
    std::vector<std::string> tickets;
    for (int person = 70; person < 72; ++person) tickets.push_back(field(join(myKadFor(person)), "ticket"));
    bookInOrder(tickets, 70, 1);
    const auto closed = waitForState(tickets[1], "closed", std::chrono::milliseconds(2000));
    ASSERT_EQ(field(closed, "reason"), "SOLD_OUT") << closed.body;
    EXPECT_EQ(field(closed, "waitlist"), "") << "no offer";
    const auto waitlisted = book(myKadFor(71), tickets[1], 0, true);
    EXPECT_EQ(waitlisted.status, 403);
    EXPECT_EQ(field(waitlisted, "code"), "QUEUE_REQUIRED");
}

TEST_F(Queue, AnOperatorsAdjustReopensTheQueueForThoseStillInLineInTheirOrder) {
    start({.capacity = 1, .admitPerSecond = 200, .overAdmitFactor = 1.0});
    std::vector<std::string> tickets;
    for (int person = 80; person < 84; ++person) tickets.push_back(field(join(myKadFor(person)), "ticket"));
    bookInOrder(tickets, 80, 1);
    for (int i = 1; i < 4; ++i) {
        ASSERT_EQ(field(waitForState(tickets[i], "closed", std::chrono::milliseconds(2000)), "reason"),
                  "SOLD_OUT");
    }
    // Two seats more: the next two in line are admitted, in their order; the last still waits.
    const auto adjusted = runAdmin(
        {"adjust", "--location", "PWTC", "--date", "20210601", "--by", "2", "--redis-url", redis_->url()});
    ASSERT_EQ(adjusted.exitCode, 0) << adjusted.output;
    EXPECT_EQ(field(waitForState(tickets[1], "admitted"), "state"), "admitted");
    EXPECT_EQ(field(waitForState(tickets[2], "admitted"), "state"), "admitted");
    const auto last = status(tickets[3]);
    EXPECT_EQ(field(last, "state"), "waiting") << "cap 2 (factor 1): the fourth waits";
    EXPECT_EQ(field(last, "ahead"), "0");
    bookInOrder({tickets[1], tickets[2]}, 81, 2);
    EXPECT_EQ(field(waitForState(tickets[3], "closed", std::chrono::milliseconds(2000)), "reason"),
              "SOLD_OUT");
}

TEST(QueueOff, NoQueueSectionNoQueue) {
    TempDir dir;
    RedisServer redis(dir.path());
    redis.start();
    JkjavServer server(dir.write("campaign.json", kTestCampaign), redis.url());
    server.start();
    HttpClient client(server.port());
    const auto join = client.postJson("/queue", R"({"mysejahteraId":"900127015527"})");
    EXPECT_EQ(join.status, 404);
    EXPECT_EQ(client.get("/queue/anything").status, 404);
    EXPECT_EQ(client.postJson("/booking", bookingBody(myKadFor(1), "PWTC", "20210516")).status, 200)
        << "booking needs no ticket";
}

}  // namespace
}  // namespace jkjav::testing
