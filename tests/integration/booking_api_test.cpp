// POST /booking, GET /stations, GET /locations against the real server and a real Redis.
#include <boost/json.hpp>

#include "case_names.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

class BookingApi : public ServerSuite {};

std::string code(const HttpReply& reply) {
    const auto json = reply.json();
    return json.is_object() && json.as_object().contains("code") ? std::string(json.at("code").as_string())
                                                                 : "";
}

TEST_F(BookingApi, BooksAndAnswersTheNormalisedBooking) {
    HttpClient client(port());
    const long long before = remaining("PWTC:20210520");
    const auto reply =
        client.postJson("/booking", bookingBody("410102-01-0001", "PWTC", "20210520", "+60 12-345 6789"));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto booking = reply.json().as_object();
    EXPECT_EQ(booking.at("mysejahteraId"), "410102010001");
    EXPECT_EQ(booking.at("phoneNumber"), "+60123456789");
    EXPECT_EQ(booking.at("location"), "PWTC");
    EXPECT_EQ(booking.at("date"), "20210520");
    EXPECT_TRUE(booking.at("reference").as_string().starts_with("JK"));
    EXPECT_EQ(reply.header("content-type"), "application/json");
    EXPECT_EQ(remaining("PWTC:20210520"), before - 1);
    EXPECT_EQ(redis().command({"HGET", "jkjav:booking:410102010001", "slot"}), "PWTC:20210520");
}

TEST_F(BookingApi, ARepeatedRequestIsHarmless) {
    HttpClient client(port());
    const std::string body = bookingBody(myKadFor(1), "PWTC", "20210521");
    const auto first = client.postJson("/booking", body);
    const long long after = remaining("PWTC:20210521");
    const auto again = client.postJson("/booking", body);
    ASSERT_EQ(first.status, 200);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.json().at("reference"), first.json().at("reference"));
    EXPECT_EQ(remaining("PWTC:20210521"), after);  // decremented once
}

TEST_F(BookingApi, OnePersonHoldsOneSlot) {
    HttpClient client(port());
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(2), "PWTC", "20210522")).status, 200);
    const long long other = remaining("PWTC:20210523");
    const auto reply = client.postJson("/booking", bookingBody(myKadFor(2), "PWTC", "20210523"));
    EXPECT_EQ(reply.status, 409);
    EXPECT_EQ(code(reply), "ALREADY_BOOKED");
    EXPECT_EQ(remaining("PWTC:20210523"), other);
}

TEST_F(BookingApi, AFullSlotIsRefused) {
    HttpClient client(port());
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(3), "ONE", "20210601")).status, 200);
    const auto reply = client.postJson("/booking", bookingBody(myKadFor(4), "ONE", "20210601"));
    EXPECT_EQ(reply.status, 409);
    EXPECT_EQ(code(reply), "FULL");
    EXPECT_EQ(remaining("ONE:20210601"), 0);
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + myKadFor(4)}), "0");
}

TEST_F(BookingApi, SlotsNotOfferedAreUnknown) {
    HttpClient client(port());
    for (const auto& [location, date] : {std::pair{"PWTC", "20210615"}, std::pair{"KLCC", "20210520"}}) {
        const auto reply = client.postJson("/booking", bookingBody(myKadFor(5), location, date));
        EXPECT_EQ(reply.status, 422) << location;
        EXPECT_EQ(code(reply), "UNKNOWN_SLOT");
    }
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + myKadFor(5)}), "0");
}

TEST_F(BookingApi, InvalidFieldsAreAllListedAndChangeNothing) {
    HttpClient client(port());
    const long long outbox = redis().integer({"XLEN", "jkjav:outbox"});
    const auto reply = client.postJson(
        "/booking", R"({"mysejahteraId":"901332015527","firstName":"","lastName":7,"address":"KL",)"
                    R"("location":"PWTC","phoneNumber":"12","date":"20210230"})");
    ASSERT_EQ(reply.status, 400);
    EXPECT_EQ(code(reply), "INVALID_REQUEST");
    std::set<std::string> fields;
    const auto body = reply.json();
    for (const auto& error : body.at("errors").as_array())
        fields.insert(std::string(error.at("field").as_string()));
    EXPECT_EQ(fields,
              (std::set<std::string>{"mysejahteraId", "firstName", "lastName", "phoneNumber", "date"}));
    EXPECT_EQ(redis().integer({"XLEN", "jkjav:outbox"}), outbox);
}

struct BadRequest {
    const char* name;
    const char* method;
    const char* target;
    std::string body;
    std::map<std::string, std::string> headers;
    int status;
    const char* code;
};

void PrintTo(const BadRequest& c, std::ostream* os) {
    *os << c.name << ": " << c.method << " " << c.target << " " << ::testing::PrintToString(c.headers) << " "
        << escaped(c.body.size() > 60 ? c.body.substr(0, 60) + "..." : c.body) << " -> " << c.status << " "
        << c.code;
}

class BadRequests : public BookingApi, public ::testing::WithParamInterface<BadRequest> {};

TEST_P(BadRequests, GetAClearJsonError) {
    HttpClient client(port());
    const auto& param = GetParam();
    const auto reply = client.request(param.method, param.target, param.body, param.headers);
    EXPECT_EQ(reply.status, param.status) << reply.body;
    EXPECT_EQ(code(reply), param.code) << reply.body;
    EXPECT_EQ(reply.json().at("status"), "Failed");
    EXPECT_FALSE(reply.json().at("message").as_string().empty());
}

const std::map<std::string, std::string> kJson{{"Content-Type", "application/json"}};

INSTANTIATE_TEST_SUITE_P(
    Requests, BadRequests,
    ::testing::Values(
        BadRequest{"NotJson", "POST", "/booking", "{not json", kJson, 400, "MALFORMED_JSON"},
        BadRequest{"JsonArray", "POST", "/booking", "[]", kJson, 400, "MALFORMED_JSON"},
        BadRequest{"EmptyBody", "POST", "/booking", "", kJson, 400, "MALFORMED_JSON"},
        BadRequest{"TooLarge", "POST", "/booking", std::string(9000, ' ') + "{}", kJson, 413,
                   "PAYLOAD_TOO_LARGE"},
        BadRequest{"FormEncoded",
                   "POST",
                   "/booking",
                   "a=b",
                   {{"Content-Type", "application/x-www-form-urlencoded"}},
                   415,
                   "UNSUPPORTED_MEDIA_TYPE"},
        BadRequest{"NoContentType", "POST", "/booking", "{}", {}, 415, "UNSUPPORTED_MEDIA_TYPE"},
        BadRequest{"UnknownRoute", "GET", "/bookings", "", {}, 404, "NOT_FOUND"},
        BadRequest{"UnknownLocation", "GET", "/stations/KLCC", "", {}, 404, "UNKNOWN_LOCATION"},
        BadRequest{"GetBooking", "GET", "/booking", "", {}, 405, "METHOD_NOT_ALLOWED"},
        BadRequest{"PostStations", "POST", "/stations/PWTC", "{}", kJson, 405, "METHOD_NOT_ALLOWED"},
        BadRequest{"DeleteLocations", "DELETE", "/locations", "", {}, 405, "METHOD_NOT_ALLOWED"}),
    ByLabel());

TEST_F(BookingApi, WrongMethodsSayWhichAreAllowed) {
    HttpClient client(port());
    EXPECT_EQ(client.get("/booking").header("allow"), "POST");
    EXPECT_EQ(client.request("PUT", "/stations/PWTC", "", {}).header("allow"), "GET, HEAD");
}

TEST_F(BookingApi, StationsListEveryDateInOrderWithCachingHeaders) {
    HttpClient client(port());
    const auto reply = client.get("/stations/PWTC");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("cache-control"), "public, max-age=1");
    EXPECT_EQ(reply.header("content-type"), "application/json");
    const auto entries = reply.json().as_array();
    ASSERT_EQ(entries.size(), 30u);
    std::string previous;
    for (const auto& entry : entries) {
        EXPECT_EQ(entry.at("location"), "PWTC");
        const std::string date(entry.at("date").as_string());
        EXPECT_LT(previous, date);
        previous = date;
        EXPECT_GE(entry.at("availability").as_int64(), 0);
    }
    EXPECT_EQ(entries.front().at("date"), "20210516");
    EXPECT_EQ(entries.back().at("date"), "20210614");

    // The snapshot of MANY (no test of this suite books it) keeps its tag; CDNs may weaken it or list
    // several.
    const auto many = client.get("/stations/MANY");
    const std::string etag = many.header("etag");
    ASSERT_FALSE(etag.empty());
    for (const std::string& ifNoneMatch : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        const auto cached = client.get("/stations/MANY", {{"If-None-Match", ifNoneMatch}});
        EXPECT_EQ(cached.status, 304) << ifNoneMatch;
        EXPECT_EQ(cached.header("etag"), etag);
        EXPECT_TRUE(cached.body.empty());
    }
    EXPECT_EQ(client.get("/stations/MANY", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(BookingApi, AvailabilityFollowsBookings) {
    HttpClient client(port());
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(6), "PWTC", "20210530")).status, 200);
    const long long expected = remaining("PWTC:20210530");
    const bool seen = eventually([&] {
        const auto stations = client.get("/stations/PWTC").json();
        for (const auto& entry : stations.as_array()) {
            if (entry.at("date") == "20210530") return entry.at("availability").as_int64() == expected;
        }
        return false;
    });
    EXPECT_TRUE(seen);
}

TEST_F(BookingApi, LocationsListStatesAndRemainingSlots) {
    HttpClient client(port());
    const auto reply = client.get("/locations");
    ASSERT_EQ(reply.status, 200);
    const auto document = reply.json().as_object();
    EXPECT_EQ(document.at("campaign"), "integration");
    EXPECT_EQ(document.at("states").as_array().size(), 2u);
    const auto& locations = document.at("locations").as_array();
    ASSERT_EQ(locations.size(), 4u);
    EXPECT_EQ(locations[0].at("code"), "PWTC");
    EXPECT_EQ(locations[0].at("state"), "kl");
    EXPECT_EQ(locations[0].at("dates").as_array().size(), 30u);
    // Exactly what Redis holds for PWTC's 30 dates (30 000 less this suite's bookings so far), once
    // the snapshot has caught up with the last booking; and MANY, which nobody books, in full.
    ASSERT_EQ(client.postJson("/booking", bookingBody(myKadFor(7), "PWTC", "20210531")).status, 200);
    long long pwtc = 0;
    for (const auto& date : locations[0].at("dates").as_array()) {
        pwtc += remaining("PWTC:" + std::string(date.at("date").as_string()));
    }
    ASSERT_LT(pwtc, 30'000);
    long long shown = -1;
    EXPECT_TRUE(eventually([&] {
        shown = client.get("/locations").json().at("locations").as_array()[0].at("availability").as_int64();
        return shown == pwtc;
    })) << "shown "
        << shown << ", in Redis " << pwtc;
    EXPECT_EQ(locations[3].at("code"), "MANY");
    EXPECT_EQ(locations[3].at("availability").as_int64(), 100 * 10);
}

TEST_F(BookingApi, HealthAndReadiness) {
    HttpClient client(port());
    EXPECT_EQ(client.get("/healthz").status, 200);
    const auto ready = client.get("/readyz");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.json().at("status"), "READY");
    const auto openapi = client.get("/openapi.json");
    EXPECT_EQ(openapi.status, 200);
    EXPECT_TRUE(openapi.json().as_object().contains("openapi"));
}

}  // namespace
}  // namespace jkjav::testing
