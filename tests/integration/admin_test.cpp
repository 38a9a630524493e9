// jkjav-admin, the real binary, against a real redis-server and jkjav-server: what an operator
// sees and changes on the day.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <set>

#include "case_names.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

// One location per test, so no test sees another's bookings in its slot (they share one Redis).
const char* kAdminCampaign = R"({
  "name": "admin",
  "states": [{"key": "kl", "name": "W.P. Kuala Lumpur"}],
  "locations": [
    {"code": "STAT", "name": "Status", "state": "kl", "dates": [{"date": "20210601", "capacity": 10}]},
    {"code": "UP", "name": "Adjust up", "state": "kl", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "DOWN", "name": "Adjust down", "state": "kl", "dates": [{"date": "20210601", "capacity": 5}]},
    {"code": "LOOK", "name": "Lookup", "state": "kl", "dates": [{"date": "20210601", "capacity": 10}]},
    {"code": "CANC", "name": "Cancel", "state": "kl", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "EXPO", "name": "Export", "state": "kl", "dates": [{"date": "20210601", "capacity": 100}]}
  ]
})";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class Admin : public ServerSuite {
  protected:
    static void SetUpTestSuite() { startServers(kAdminCampaign); }

    static AdminRun admin(std::vector<std::string> args) {
        args.insert(args.end(), {"--redis-url", redis_->url()});
        return runAdmin(args);
    }
    static void book(const std::string& id, const std::string& location, bool waitlist = false,
                     const std::string& phone = "012-3456789", int expected = 200) {
        auto body = boost::json::parse(bookingBody(id, location, "20210601", phone)).as_object();
        if (waitlist) {
            body["waitlist"] = true;
            if (expected == 200) expected = 202;  // a place in the queue, not a booking
        }
        HttpClient client(port());
        ASSERT_EQ(client.postJson("/booking", boost::json::serialize(body)).status, expected) << id;
    }
    // The outbox entries of one person, oldest first.
    static std::vector<std::map<std::string, std::string>> eventsOf(const std::string& id) {
        auto entries = redis().newestEntries("jkjav:outbox", 10'000);
        std::vector<std::map<std::string, std::string>> found;
        for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
            if ((*it)["mysejahteraId"] == id) found.push_back(*it);
        }
        return found;
    }
};

std::string text(const boost::json::value& value) { return std::string(value.as_string()); }

const boost::json::object& slotIn(const boost::json::value& status, std::string_view location) {
    for (const auto& slot : status.at("slots").as_array()) {
        if (slot.at("location").as_string() == location) return slot.as_object();
    }
    throw std::runtime_error("no slot of " + std::string(location));
}

TEST_F(Admin, StatusJsonCountsBookingsAndWaitlists) {
    book(myKadFor(100), "STAT");
    book(myKadFor(101), "STAT");
    const auto run = admin({"status", "--json"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const auto status = boost::json::parse(run.output);
    EXPECT_EQ(status.at("campaign").at("id"), "admin");
    const auto& slot = slotIn(status, "STAT");
    EXPECT_EQ(slot.at("date"), "20210601");
    EXPECT_EQ(slot.at("capacity"), 10);
    EXPECT_EQ(slot.at("booked"), 2);
    EXPECT_EQ(slot.at("remaining"), 8);
    EXPECT_EQ(slot.at("waiting"), 0);
    EXPECT_GE(status.at("referencesIssued").as_int64(), 2);
    // No relay runs here (no Kafka): every event waits in the outbox, the oldest for a while.
    EXPECT_GE(status.at("outbox").at("backlog").as_int64(), 2);
    EXPECT_GE(status.at("outbox").at("oldestAgeSeconds").as_double(), 0.0);
    bool sawLocation = false;
    for (const auto& location : status.at("locations").as_array()) {
        if (location.at("location") == "STAT") {
            sawLocation = true;
            EXPECT_EQ(location.at("booked"), 2);
        }
    }
    EXPECT_TRUE(sawLocation) << run.output;
}

TEST_F(Admin, StatusWatchDrawsFramesWithBarsAndARate) {
    const auto run = admin({"status", "--watch", "--count", "2"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    std::size_t frames = 0;
    for (std::size_t at = run.output.find("\x1b[2J"); at != std::string::npos;
         at = run.output.find("\x1b[2J", at + 1))
        ++frames;
    EXPECT_EQ(frames, 2u) << run.output;
    EXPECT_TRUE(contains(run.output, "% sold")) << run.output;
    EXPECT_TRUE(contains(run.output, "bookings/s: ")) << run.output;  // the second frame has a rate
}

TEST_F(Admin, AdjustUpPromotesTheWaitingPersonFirst) {
    const std::string holder = myKadFor(200);
    const std::string waiting = myKadFor(201);
    book(holder, "UP");
    book(waiting, "UP", true);
    ASSERT_EQ(redis().integer({"LLEN", "jkjav:waitlist:UP:20210601"}), 1);
    const auto place = admin({"lookup", waiting, "--json"});
    ASSERT_EQ(place.exitCode, 0) << place.output;
    const auto json = boost::json::parse(place.output);
    EXPECT_EQ(json.at("status"), "WAITING");
    EXPECT_EQ(json.at("slot"), "UP:20210601");
    EXPECT_EQ(json.at("position"), 1);

    const auto run = admin({"adjust", "--location", "UP", "--date", "2021-06-01", "--by", "2"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_TRUE(contains(run.output, "capacity 1 -> 3, remaining 0 -> 1")) << run.output;
    EXPECT_TRUE(contains(run.output, "promoted from the waitlist: 1")) << run.output;
    EXPECT_TRUE(contains(run.output, "5001******01")) << run.output;
    EXPECT_FALSE(contains(run.output, waiting)) << run.output;  // masked

    EXPECT_EQ(redis().command({"HGET", "jkjav:booking:" + waiting, "slot"}), "UP:20210601");
    EXPECT_EQ(redis().integer({"LLEN", "jkjav:waitlist:UP:20210601"}), 0);
    EXPECT_EQ(redis().integer({"HGET", "jkjav:capacity", "UP:20210601"}), 3);
    EXPECT_EQ(redis().integer({"HGET", "jkjav:slots", "UP:20210601"}), 1);
    const auto events = eventsOf(waiting);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].at("type"), "booking.created");
    EXPECT_EQ(events[0].at("reference"), redis().command({"HGET", "jkjav:booking:" + waiting, "reference"}));
    EXPECT_EQ(events[0].at("firstName"), "Siti");
}

TEST_F(Admin, AdjustDownBelowWhatIsBookedIsRefusedAndChangesNothing) {
    for (int i = 0; i < 3; ++i) book(myKadFor(300 + i), "DOWN");
    const auto outboxBefore = redis().integer({"XLEN", "jkjav:outbox"});
    const auto run = admin({"adjust", "--location", "DOWN", "--date", "20210601", "--by=-3"});
    EXPECT_EQ(run.exitCode, 3) << run.output;
    EXPECT_TRUE(contains(run.output, "refused")) << run.output;
    EXPECT_TRUE(contains(run.output, "Nothing changed")) << run.output;
    EXPECT_EQ(redis().integer({"HGET", "jkjav:slots", "DOWN:20210601"}), 2);
    EXPECT_EQ(redis().integer({"HGET", "jkjav:capacity", "DOWN:20210601"}), 5);
    EXPECT_EQ(redis().integer({"XLEN", "jkjav:outbox"}), outboxBefore);

    const auto allowed = admin({"adjust", "--location", "DOWN", "--date", "20210601", "--by", "-2"});
    EXPECT_EQ(allowed.exitCode, 0) << allowed.output;
    EXPECT_EQ(redis().integer({"HGET", "jkjav:slots", "DOWN:20210601"}), 0);
    EXPECT_EQ(redis().integer({"HGET", "jkjav:capacity", "DOWN:20210601"}), 3);
}

TEST_F(Admin, AdjustOfASlotThatDoesNotExistIsRefused) {
    const auto run = admin({"adjust", "--location", "NOPE", "--date", "20210601", "--by", "1"});
    EXPECT_EQ(run.exitCode, 3) << run.output;
    EXPECT_TRUE(contains(run.output, "no slot NOPE:20210601")) << run.output;
    EXPECT_EQ(redis().integer({"HEXISTS", "jkjav:slots", "NOPE:20210601"}), 0);
}

TEST_F(Admin, LookupMasksIdAndPhoneUnlessAskedFor) {
    const std::string id = myKadFor(400);
    book(id, "LOOK", false, "012-3456789");
    const auto masked = admin({"lookup", id});
    ASSERT_EQ(masked.exitCode, 0) << masked.output;
    EXPECT_TRUE(contains(masked.output, "booked: LOOK:20210601")) << masked.output;
    EXPECT_TRUE(contains(masked.output, "5001******00")) << masked.output;
    EXPECT_TRUE(contains(masked.output, "+601******89")) << masked.output;
    EXPECT_FALSE(contains(masked.output, id)) << masked.output;
    EXPECT_FALSE(contains(masked.output, "+60123456789")) << masked.output;
    EXPECT_TRUE(contains(masked.output, "Siti")) << masked.output;

    const auto whole = admin({"lookup", id, "--show-personal-data", "--json"});
    ASSERT_EQ(whole.exitCode, 0) << whole.output;
    const auto json = boost::json::parse(whole.output);
    EXPECT_EQ(json.at("status"), "BOOKED");
    EXPECT_EQ(json.at("slot"), "LOOK:20210601");
    EXPECT_EQ(text(json.at("booking").at("mysejahteraId")), id);
    EXPECT_EQ(json.at("booking").at("phoneNumber"), "+60123456789");
    EXPECT_EQ(text(json.at("booking").at("reference")),
              redis().command({"HGET", "jkjav:booking:" + id, "reference"}));

    const auto none = admin({"lookup", myKadFor(499)});
    EXPECT_EQ(none.exitCode, 3) << none.output;
    EXPECT_TRUE(contains(none.output, "no booking")) << none.output;
}

TEST_F(Admin, CancelWithAReasonFreesTheSlotAndTheEventCarriesTheReason) {
    const std::string id = myKadFor(500);
    book(id, "CANC");
    book(myKadFor(501), "CANC", false, "012-3456789", 409);  // full
    const auto run = admin({"cancel", id, "--reason", "duplicate registration, confirmed by phone"});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_TRUE(contains(run.output, "back to the counter")) << run.output;
    EXPECT_EQ(redis().integer({"EXISTS", "jkjav:booking:" + id}), 0);
    EXPECT_EQ(redis().integer({"HGET", "jkjav:slots", "CANC:20210601"}), 1);
    const auto events = eventsOf(id);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].at("type"), "booking.cancelled");
    EXPECT_EQ(events[1].at("reason"), "duplicate registration, confirmed by phone");
    EXPECT_EQ(events[1].at("phoneNumber"), "+60123456789");
    EXPECT_EQ(events[1].at("reference"), events[0].at("reference"));
    EXPECT_EQ(events[0].count("reason"), 0u);  // a booking has none

    book(myKadFor(501), "CANC");  // the seat is free again
    const auto again = admin({"cancel", id, "--reason", "twice"});
    EXPECT_EQ(again.exitCode, 3) << again.output;
    EXPECT_TRUE(contains(again.output, "holds no booking")) << again.output;
}

TEST_F(Admin, ExportWritesEveryBookingAsCsvAndJsonLines) {
    constexpr int kBookings = 25;
    for (int i = 0; i < kBookings; ++i) book(myKadFor(600 + i), "EXPO");
    const auto status = boost::json::parse(admin({"status", "--json"}).output);
    const auto held = status.at("totals").at("booked").as_int64();
    TempDir dir;

    const auto csv = admin({"export", "--format", "csv", "--output", dir.path() + "/out.csv"});
    ASSERT_EQ(csv.exitCode, 0) << csv.output;
    std::ifstream csvFile(dir.path() + "/out.csv");
    std::string line;
    std::getline(csvFile, line);
    EXPECT_EQ(line,
              "mysejahteraId,firstName,lastName,address,location,phoneNumber,date,reference,createdAt\r");
    long long rows = 0;
    int expo = 0;
    while (std::getline(csvFile, line)) {
        ++rows;
        if (contains(line, ",EXPO,")) {
            ++expo;
            // The address holds a comma: quoted.
            EXPECT_TRUE(
                contains(line, ",Siti,Aminah,\"Jalan Ampang, Kuala Lumpur\",EXPO,+60123456789,20210601,JK"))
                << line;
        }
    }
    EXPECT_EQ(rows, held);
    EXPECT_EQ(expo, kBookings);
    EXPECT_TRUE(contains(csv.output, "exported " + std::to_string(held) + " bookings")) << csv.output;
    EXPECT_FALSE(contains(csv.output, "\r[")) << "no progress bar when stderr is not a terminal";

    const auto jsonl = admin({"export", "--format", "jsonl", "--output", dir.path() + "/out.jsonl"});
    ASSERT_EQ(jsonl.exitCode, 0) << jsonl.output;
    std::ifstream jsonFile(dir.path() + "/out.jsonl");
    rows = 0;
    std::set<std::string> ids;
    while (std::getline(jsonFile, line)) {
        ++rows;
        const auto booking = boost::json::parse(line);
        if (booking.at("location") == "EXPO") {
            const std::string id = text(booking.at("mysejahteraId"));
            ids.insert(id);
            EXPECT_EQ(booking.at("address"), "Jalan Ampang, Kuala Lumpur");
            EXPECT_EQ(text(booking.at("reference")),
                      redis().command({"HGET", "jkjav:booking:" + id, "reference"}));
        }
    }
    EXPECT_EQ(rows, held);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kBookings));
}

struct BadArguments {
    std::string label;
    std::vector<std::string> args;
    std::string says;
    friend void PrintTo(const BadArguments& c, std::ostream* out) { *out << c.label; }
};

class AdminBadArguments : public ::testing::TestWithParam<BadArguments> {};

// No Redis at all: a wrong command line is refused before anything is contacted.
TEST_P(AdminBadArguments, ExitTwoWithAMessage) {
    const auto run = runAdmin(GetParam().args);
    EXPECT_EQ(run.exitCode, 2) << run.output;
    EXPECT_TRUE(contains(run.output, GetParam().says)) << run.output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AdminBadArguments,
    ::testing::Values(
        BadArguments{"no command", {}, "subcommand"},
        BadArguments{"unknown command", {"frobnicate"}, "subcommand is required"},
        BadArguments{"cancel without reason", {"cancel", "500101000001"}, "--reason"},
        BadArguments{"cancel empty reason", {"cancel", "500101000001", "--reason", ""}, "1 to 500"},
        BadArguments{"lookup bad id", {"lookup", "12-34"}, "MyKad"},
        BadArguments{"adjust bad date",
                     {"adjust", "--location", "UP", "--date", "20210231", "--by", "1"},
                     "not a date"},
        BadArguments{"adjust zero",
                     {"adjust", "--location", "UP", "--date", "20210601", "--by", "0"},
                     "changes nothing"},
        BadArguments{"adjust bad location",
                     {"adjust", "--location", "P W", "--date", "20210601", "--by", "1"},
                     "location code"},
        BadArguments{"export bad format", {"export", "--format", "xml"}, "xml"},
        BadArguments{"watch and json", {"status", "--watch", "--json"}, "excludes"},
        BadArguments{"bad url", {"status", "--redis-url", "http://x"}, "not a redis"},
        BadArguments{"queue without command", {"queue", "--campaign", "c.json"}, "subcommand"},
        BadArguments{"set-rate zero", {"queue", "set-rate", "0", "--campaign", "c.json"}, "above 0"},
        BadArguments{
            "set-rate negative", {"queue", "set-rate", "--campaign", "c.json", "--", "-5"}, "above 0"},
        BadArguments{"set-rate text", {"queue", "set-rate", "fast", "--campaign", "c.json"}, "above 0"},
        BadArguments{"set-rate too high", {"queue", "set-rate", "2e6", "--campaign", "c.json"}, "at most"},
        BadArguments{"set-rate missing", {"queue", "set-rate", "--campaign", "c.json"}, "N"}),
    ByLabel());

// Unreachable Redis: nobody listens (refused at once), or a port that accepts and never answers
// (bounded by --redis-timeout-ms). runAdmin gives up after 30 s: a hang fails the test.
TEST(AdminUnreachable, ExitsOneWithAMessageWhenNobodyListens) {
    const int port = freeLoopbackPort();
    const auto run = runAdmin({"status", "--redis-url", "redis://127.0.0.1:" + std::to_string(port)});
    EXPECT_EQ(run.exitCode, 1) << run.output;
    EXPECT_NE(run.output.find("cannot reach Redis at 127.0.0.1:" + std::to_string(port)), std::string::npos)
        << run.output;
}

TEST(AdminUnreachable, ExitsOneWhenRedisNeverAnswers) {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener, 4), 0);  // connections complete in the backlog; nothing ever reads
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    const std::string url = "redis://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    const auto run = runAdmin({"lookup", "500101000001", "--redis-url", url, "--redis-timeout-ms", "300"});
    ::close(listener);
    EXPECT_EQ(run.exitCode, 1) << run.output;
    EXPECT_NE(run.output.find("did not answer"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace jkjav::testing
