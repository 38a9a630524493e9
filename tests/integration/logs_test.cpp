// What jkjav-server logs, read from its output at LOG_LEVEL=trace in both LOG_FORMATs: no identity
// or phone number whole on any line, through bookings, lookups, cancels, refusals and the
// unhandled-exception path; JSON lines that parse; request lines that carry their X-Request-Id;
// the start-up configuration with the Redis password masked.
#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "case_names.hpp"
#include "fixtures.hpp"

namespace jkjav::testing {
namespace {

// The test campaign plus FAILPOINT, where the booking-store-throws failpoint throws an exception
// quoting the person's id and phone number.
constexpr const char* kCampaign = R"({
  "name": "logs",
  "states": [{"key": "kl", "name": "W.P. Kuala Lumpur"}],
  "locations": [
    {"code": "PWTC", "name": "PWTC", "state": "kl", "dates": [{"date": "20210601", "capacity": 10}]},
    {"code": "FAILPOINT", "name": "Throws", "state": "kl", "dates": [{"date": "20210601", "capacity": 10}]}
  ]
})";

constexpr const char* kRedisPassword = "logs-test-secret";
// A queue secret set though this campaign has no queue: the start-up line lists it, masked.
constexpr const char* kQueueSecret = "queue-secret-that-must-never-be-logged-0123456789";

// The people of this test: every spelling of their numbers is looked for in the log.
constexpr const char* kId = "900127015527";
constexpr const char* kMaskedId = "9001******27";
constexpr const char* kPhone = "0123456789";
constexpr const char* kWrongPhone = "0199876543";
constexpr const char* kThrowingId = "850505105858";
constexpr const char* kMaskedThrowingId = "8505******58";
constexpr const char* kThrowingPhone = "0177654321";

// 0123456789 as it may be written: national, E.164, international without '+'.
std::vector<std::string> spellingsOf(const std::string& phone) {
    const std::string national = phone.substr(1);
    return {phone, "+60" + national, "60" + national};
}

std::vector<std::string> forbiddenInLogs() {
    std::vector<std::string> forbidden{
        kId, "900127-01-5527", kThrowingId, "850505-10-5858", kRedisPassword, kQueueSecret};
    for (const char* phone : {kPhone, kWrongPhone, kThrowingPhone}) {
        for (auto& spelling : spellingsOf(phone)) forbidden.push_back(std::move(spelling));
    }
    return forbidden;
}

std::vector<std::string> linesOf(const std::string& path) {
    std::ifstream file(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

struct FormatCase {
    std::string name;  // LOG_FORMAT
};

void PrintTo(const FormatCase& c, std::ostream* out) { *out << "LOG_FORMAT=" << c.name; }

class Logs : public ::testing::TestWithParam<FormatCase> {
  protected:
    void SetUp() override {
        redis_ = std::make_unique<RedisServer>(dir_.path(), false, 0, kRedisPassword);
        redis_->start();
        server_ = std::make_unique<JkjavServer>(dir_.write("campaign.json", kCampaign), redis_->url(),
                                                std::map<std::string, std::string>{
                                                    {"LOG_LEVEL", "trace"},
                                                    {"LOG_FORMAT", GetParam().name},
                                                    {"JKJAV_FAILPOINT", "booking-store-throws"},
                                                    {"QUEUE_SECRET", kQueueSecret},
                                                },
                                                log_);
        server_->start();
    }

    // The requests whose logs are read: each kind of handling personal data goes through.
    struct Requests {
        std::string bookingRequestId;
        std::string failpointRequestId;
    };
    Requests exercise() {
        HttpClient client(server_->port());
        const std::string lookup = std::string("/booking/") + kId + "?phoneNumber=";
        Requests ids;

        const auto booked = client.postJson("/booking", bookingBody(kId, "PWTC", "20210601", kPhone));
        EXPECT_EQ(booked.status, 200) << booked.body;
        ids.bookingRequestId = booked.header("x-request-id");
        for (const std::string& spelling : spellingsOf(kPhone)) {
            const std::string escaped = spelling[0] == '+' ? "%2B" + spelling.substr(1) : spelling;
            const int status = client.get(lookup + escaped).status;
            EXPECT_TRUE(status == 200 || status == 404) << spelling << ": " << status;
        }
        EXPECT_EQ(client.get(lookup + kWrongPhone).status, 404);
        EXPECT_EQ(client.get(std::string("/bookings/") + kId + "?phoneNumber=" + kPhone).status, 404);
        const auto invalid = client.postJson("/booking", bookingBody(kId, "NOWHERE", "20210601", kPhone));
        EXPECT_GE(invalid.status, 400) << invalid.body;
        const auto malformed = client.postJson(
            "/booking", std::string(R"({"mysejahteraId":")") + kId + R"(","phoneNumber":")" + kPhone + "\",");
        EXPECT_EQ(malformed.status, 400) << malformed.body;
        EXPECT_EQ(client.request("DELETE", lookup + kPhone, "", {}).status, 200);

        const auto thrown =
            client.postJson("/booking", bookingBody(kThrowingId, "FAILPOINT", "20210601", kThrowingPhone));
        EXPECT_EQ(thrown.status, 500) << thrown.body;
        ids.failpointRequestId = thrown.header("x-request-id");
        EXPECT_FALSE(ids.bookingRequestId.empty());
        EXPECT_FALSE(ids.failpointRequestId.empty());
        return ids;
    }

    // Stops the server (a clean exit: everything it logged is in the file) and reads its lines.
    std::vector<std::string> stopAndReadLog() {
        EXPECT_EQ(server_->stop(), 0);
        return linesOf(log_);
    }

    TempDir dir_;
    std::string log_ = dir_.path() + "/server.log";
    std::unique_ptr<RedisServer> redis_;
    std::unique_ptr<JkjavServer> server_;
};

TEST_P(Logs, NoLineHoldsAWholeIdOrPhoneNumber) {
    exercise();
    const auto lines = stopAndReadLog();
    ASSERT_GT(lines.size(), 10u);
    for (const std::string& line : lines) {
        for (const std::string& whole : forbiddenInLogs()) {
            EXPECT_EQ(line.find(whole), std::string::npos) << "'" << whole << "' in: " << line;
        }
    }
    // The numbers did reach the logs, masked: otherwise the test above would prove nothing.
    auto anyLineHas = [&](const std::string& text) {
        return std::any_of(lines.begin(), lines.end(),
                           [&](const std::string& line) { return line.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(anyLineHas(kMaskedId));
    EXPECT_TRUE(anyLineHas(kMaskedThrowingId));  // the exception's message, masked
    EXPECT_TRUE(anyLineHas("unhandled error answering POST /booking"));
    EXPECT_TRUE(anyLineHas("REDIS_URL"));
    EXPECT_TRUE(anyLineHas(":****@127.0.0.1"));  // the password of the Redis URL, masked
    EXPECT_TRUE(anyLineHas("QUEUE_SECRET=****") || anyLineHas(R"("QUEUE_SECRET":"****")"));  // text or JSON
}

TEST_P(Logs, RequestLinesCarryTheRequestId) {
    const Requests ids = exercise();
    const auto lines = stopAndReadLog();
    auto linesWith = [&](const std::string& text) {
        std::vector<std::string> found;
        for (const auto& line : lines) {
            if (line.find(text) != std::string::npos) found.push_back(line);
        }
        return found;
    };
    // The booking's own debug line, and its access line; the failpoint's error line.
    EXPECT_GE(linesWith(ids.bookingRequestId).size(), 2u);
    const auto failpointLines = linesWith(ids.failpointRequestId);
    EXPECT_TRUE(std::any_of(failpointLines.begin(), failpointLines.end(), [](const std::string& line) {
        return line.find("unhandled error") != std::string::npos;
    })) << ids.failpointRequestId;
    if (GetParam().name == "text") {
        EXPECT_FALSE(linesWith("[req=" + ids.bookingRequestId + "]").empty());
    }
}

class JsonLogs : public Logs {};

TEST_P(JsonLogs, EveryLineParsesWithItsKeys) {
    const Requests ids = exercise();
    const auto lines = stopAndReadLog();
    const std::regex rfc3339Utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    bool sawBookingAccessLine = false;
    for (const std::string& line : lines) {
        boost::system::error_code ec;
        const boost::json::value parsed = boost::json::parse(line, ec);
        ASSERT_FALSE(ec) << ec.message() << " in: " << line;
        ASSERT_TRUE(parsed.is_object()) << line;
        const auto& object = parsed.as_object();
        for (const char* key : {"time", "level", "message"}) {
            ASSERT_TRUE(object.contains(key) && object.at(key).is_string()) << key << " in: " << line;
        }
        EXPECT_TRUE(std::regex_match(std::string(object.at("time").as_string()), rfc3339Utc)) << line;
        const auto* requestId = object.if_contains("requestId");
        if (requestId != nullptr && *requestId == ids.bookingRequestId.c_str() && object.contains("status")) {
            sawBookingAccessLine = true;
            EXPECT_EQ(object.at("route"), "/booking") << line;
            EXPECT_EQ(object.at("status"), 200) << line;
            EXPECT_TRUE(object.at("durationMs").is_number()) << line;
        }
    }
    EXPECT_TRUE(sawBookingAccessLine) << "no access line for " << ids.bookingRequestId;
}

INSTANTIATE_TEST_SUITE_P(Formats, Logs, ::testing::Values(FormatCase{"text"}, FormatCase{"json"}), ByLabel());
INSTANTIATE_TEST_SUITE_P(Formats, JsonLogs, ::testing::Values(FormatCase{"json"}), ByLabel());

// A bad LOG_FORMAT or LOG_LEVEL stops the start with a message naming the setting.
struct BadSetting {
    std::string name;
    std::string variable;
    std::string value;
};

void PrintTo(const BadSetting& c, std::ostream* out) { *out << c.variable << "=" << c.value; }

class BadLogSettings : public ::testing::TestWithParam<BadSetting> {};

TEST_P(BadLogSettings, RefuseToStart) {
    TempDir dir;
    const std::string log = dir.path() + "/server.log";
    ChildProcess server(
        {serverBinary()},
        {{"PORT", "0"}, {"REDIS_URL", "redis://127.0.0.1:1"}, {GetParam().variable, GetParam().value}}, log);
    const auto exitCode = server.waitForExit(std::chrono::milliseconds(10'000));
    ASSERT_TRUE(exitCode.has_value());
    EXPECT_NE(*exitCode, 0);
    std::ifstream file(log);
    const std::string output((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    EXPECT_NE(output.find("log-"), std::string::npos) << output;  // --log-format / --log-level
    EXPECT_NE(output.find(GetParam().value), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(Settings, BadLogSettings,
                         ::testing::Values(BadSetting{"Format", "LOG_FORMAT", "xml"},
                                           BadSetting{"Level", "LOG_LEVEL", "verbose"}),
                         ByLabel());

}  // namespace
}  // namespace jkjav::testing
