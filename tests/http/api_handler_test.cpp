// ApiHandler in-process: routes, statuses and codes against gmock'd ports, no socket, no Redis.
#include "adapters/http/api_handler.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <ostream>

#include "adapters/http/identity_check.hpp"
#include "case_names.hpp"
#include "mocks.hpp"
#include "queue_mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::http {
namespace {

using boost::beast::http::field;
using boost::beast::http::verb;
using ::testing::_;
using ::testing::NiceMock;
using ::testing::Return;
using testing::runAwaitable;
using ::testing::StrictMock;

const boost::asio::ip::address kPeer = boost::asio::ip::make_address("192.0.2.7");

domain::Booking storedBooking() {
    return {"900127015527", "Fadhil",   "Yaacob",       "Kuala Lumpur",        "PWTC",
            "+60123456789", "20210516", "JK0000000001", "2021-05-26T01:02:03Z"};
}

constexpr std::string_view kForm =
    R"({"mysejahteraId":"900127-01-5527","firstName":"Fadhil","lastName":"Yaacob",)"
    R"("address":"Kuala Lumpur","location":"PWTC","phoneNumber":"012-3456789","date":"20210516"})";

std::string formWith(std::string_view from, std::string_view to) {
    std::string body(kForm);
    body.replace(body.find(from), from.size(), to);
    return body;
}

Request makeRequest(verb method, std::string_view target, std::string_view contentType = {},
                    std::string body = {}) {
    Request request{method, target, 11};
    request.set(field::host, "localhost");
    if (!contentType.empty()) request.set(field::content_type, contentType);
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
}

// Everything ApiHandler needs, with the store and the failure counter mocked.
struct Harness {
    explicit Harness(domain::Campaign campaignToUse = testing::pwtcCampaign(), RateLimitSettings limits = {})
        : campaign(std::move(campaignToUse)), rateLimits({}, limits) {}

    domain::Campaign campaign;
    StrictMock<testing::MockBookingStore> store;  // a call no case expects fails the test
    testing::FixedClock clock{testing::kMay26()};
    app::BookingService bookings{campaign, store, clock};
    NiceMock<testing::MockLookupFailures> failures;
    app::LookupGuard lookups{bookings, failures, {}};
    ClientRateLimits rateLimits;
    SnapshotSlot snapshots;
    ServiceHealth health;
    ApiHandler api{campaign, bookings, lookups, rateLimits, snapshots, health, std::chrono::seconds(2)};

    Response answer(const Request& request) { return runAwaitable(api.handle(request, kPeer)); }
};

// The error's `code`, or "" for an answer that is not an error.
std::string codeOf(const Response& response) {
    const auto body = boost::json::parse(response.body());
    const auto* code = body.is_object() ? body.as_object().if_contains("code") : nullptr;
    return code == nullptr ? "" : std::string(code->as_string());
}

struct HandlerCase {
    std::string name;
    verb method;
    std::string target;
    std::string contentType;
    std::string body;
    std::optional<app::StoreResult> booked;  // what the store answers a booking; unset: never asked
    std::optional<app::FindResult> found;    // what it answers a lookup or cancel; unset: never asked
    unsigned status;
    std::string code;   // "" for a success without one
    std::string allow;  // the Allow header a 405 must carry
};

void PrintTo(const HandlerCase& c, std::ostream* out) {
    *out << c.method << ' ' << c.target << " [" << c.contentType << "] " << c.body << " -> " << c.status
         << ' ' << c.code;
}

app::StoreResult storeSays(domain::Outcome outcome) {
    app::StoreResult result{outcome, {}};
    if (outcome == domain::Outcome::kBooked || outcome == domain::Outcome::kAlreadyHeld)
        result.booking = storedBooking();
    if (outcome == domain::Outcome::kWaitlisted) result.waitlistPosition = 3;
    return result;
}

app::FindResult lookupSays(domain::Outcome outcome) {
    return {outcome,
            outcome == domain::Outcome::kFound || outcome == domain::Outcome::kCancelled ? storedBooking()
                                                                                         : domain::Booking{},
            {}};
}

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kLookup = "/booking/900127-01-5527?phoneNumber=012-3456789";

// One line per case: routing, transport refusals, and every outcome of the use cases.
HandlerCase plain(std::string name, verb method, std::string target, unsigned status, std::string code,
                  std::string allow = "") {
    return {std::move(name), method,          std::move(target), "", "", {}, {},
            status,          std::move(code), std::move(allow)};
}
HandlerCase posted(std::string name, std::string contentType, std::string body,
                   std::optional<app::StoreResult> booked, unsigned status, std::string code) {
    return {std::move(name),   verb::post, "/booking", std::move(contentType), std::move(body),
            std::move(booked), {},         status,     std::move(code),        ""};
}
HandlerCase stored(std::string name, domain::Outcome outcome, unsigned status, std::string code) {
    return posted(std::move(name), std::string(kJson), std::string(kForm), storeSays(outcome), status,
                  std::move(code));
}
HandlerCase looked(std::string name, verb method, std::string target, std::optional<app::FindResult> found,
                   unsigned status, std::string code) {
    return {std::move(name),  method, std::move(target), "", "", {},
            std::move(found), status, std::move(code),   ""};
}

const std::string kWaitlistForm = formWith("\"date\"", "\"waitlist\":true,\"date\"");
const std::string kLookupTarget(kLookup);

const HandlerCase kHandlerCases[] = {
    // Routing: 404 for a path no route has, 405 with the route's Allow for a method it lacks.
    plain("UnknownPath", verb::get, "/nowhere", 404, "NOT_FOUND"),
    plain("Root", verb::get, "/", 404, "NOT_FOUND"),
    plain("StationsWithoutSlash", verb::get, "/stations", 404, "NOT_FOUND"),
    plain("LocationsWithSuffix", verb::get, "/locations/x", 404, "NOT_FOUND"),
    plain("PostStations", verb::post, "/stations/PWTC", 405, "METHOD_NOT_ALLOWED", "GET, HEAD"),
    plain("DeleteLocations", verb::delete_, "/locations", 405, "METHOD_NOT_ALLOWED", "GET, HEAD"),
    plain("GetBooking", verb::get, "/booking", 405, "METHOD_NOT_ALLOWED", "POST"),
    plain("PutBooking", verb::put, "/booking", 405, "METHOD_NOT_ALLOWED", "POST"),
    plain("PostLookup", verb::post, kLookupTarget, 405, "METHOD_NOT_ALLOWED", "GET, HEAD, DELETE"),
    plain("PostHealthz", verb::post, "/healthz", 405, "METHOD_NOT_ALLOWED", "GET, HEAD"),
    plain("PatchReadyz", verb::patch, "/readyz", 405, "METHOD_NOT_ALLOWED", "GET, HEAD"),
    plain("DeleteOpenApi", verb::delete_, "/openapi.json", 405, "METHOD_NOT_ALLOWED", "GET, HEAD"),
    // Availability with no snapshot yet, and a location the campaign lacks.
    plain("UnknownStation", verb::get, "/stations/NOWHERE", 404, "UNKNOWN_LOCATION"),
    plain("EmptyStation", verb::get, "/stations/", 404, "UNKNOWN_LOCATION"),
    plain("StationBeforeFirstSnapshot", verb::get, "/stations/PWTC", 503, "STORE_UNAVAILABLE"),
    plain("HeadStationBeforeFirstSnapshot", verb::head, "/stations/UM", 503, "STORE_UNAVAILABLE"),
    plain("LocationsBeforeFirstSnapshot", verb::get, "/locations", 503, "STORE_UNAVAILABLE"),
    // Health and the API's description.
    plain("Healthz", verb::get, "/healthz", 200, ""),
    plain("HeadHealthz", verb::head, "/healthz?probe=1", 200, ""),
    plain("OpenApi", verb::get, "/openapi.json", 200, ""),
    // POST /booking: transport refusals and invalid forms never reach the store.
    posted("BookingAsText", "text/plain", std::string(kForm), {}, 415, "UNSUPPORTED_MEDIA_TYPE"),
    posted("BookingWithoutContentType", "", std::string(kForm), {}, 415, "UNSUPPORTED_MEDIA_TYPE"),
    posted("MalformedJson", std::string(kJson), "{\"mysejahteraId\":", {}, 400, "MALFORMED_JSON"),
    posted("JsonNotAnObject", std::string(kJson), "[1,2]", {}, 400, "MALFORMED_JSON"),
    posted("InvalidId", std::string(kJson), formWith("900127-01-5527", "12"), {}, 400, "INVALID_REQUEST"),
    posted("SlotNotInCampaign", std::string(kJson), formWith("20210516", "20210601"), {}, 422,
           "UNKNOWN_SLOT"),
    posted("BookedWithCharset", "Application/JSON ; charset=utf-8", std::string(kForm),
           storeSays(domain::Outcome::kBooked), 200, ""),
    posted("Waitlisted", std::string(kJson), kWaitlistForm, storeSays(domain::Outcome::kWaitlisted), 202,
           "WAITLISTED"),
    // POST /booking: every other store outcome.
    stored("Booked", domain::Outcome::kBooked, 200, ""),
    stored("AlreadyHeld", domain::Outcome::kAlreadyHeld, 200, ""),
    stored("Full", domain::Outcome::kFull, 409, "FULL"),
    stored("AlreadyBooked", domain::Outcome::kAlreadyBooked, 409, "ALREADY_BOOKED"),
    stored("AlreadyWaitlisted", domain::Outcome::kAlreadyWaitlisted, 409, "ALREADY_WAITLISTED"),
    stored("StoreUnknownSlot", domain::Outcome::kUnknownSlot, 422, "UNKNOWN_SLOT"),
    stored("NotSeeded", domain::Outcome::kNotSeeded, 503, "STORE_UNAVAILABLE"),
    stored("StoreAway", domain::Outcome::kStoreUnavailable, 503, "STORE_UNAVAILABLE"),
    // GET, HEAD and DELETE /booking/{mysejahteraId}.
    looked("Found", verb::get, kLookupTarget, lookupSays(domain::Outcome::kFound), 200, ""),
    looked("HeadFound", verb::head, kLookupTarget, lookupSays(domain::Outcome::kFound), 200, ""),
    looked("FoundByEscapedId", verb::get, "/booking/900127%2D01%2D5527?phoneNumber=%2B60123456789",
           lookupSays(domain::Outcome::kFound), 200, ""),
    looked("NotFound", verb::get, kLookupTarget, lookupSays(domain::Outcome::kNotFound), 404, "NOT_FOUND"),
    looked("LookupStoreAway", verb::get, kLookupTarget, lookupSays(domain::Outcome::kStoreUnavailable), 503,
           "STORE_UNAVAILABLE"),
    looked("LookupBadId", verb::get, "/booking/12?phoneNumber=012-3456789", {}, 400, "INVALID_REQUEST"),
    looked("LookupEmptyId", verb::get, "/booking/?phoneNumber=012-3456789", {}, 400, "INVALID_REQUEST"),
    looked("LookupWithoutPhone", verb::get, "/booking/900127-01-5527", {}, 400, "INVALID_REQUEST"),
    looked("Cancelled", verb::delete_, kLookupTarget, lookupSays(domain::Outcome::kFound), 200, ""),
    looked("CancelNotFound", verb::delete_, kLookupTarget, lookupSays(domain::Outcome::kNotFound), 404,
           "NOT_FOUND"),
    looked("CancelStoreAway", verb::delete_, kLookupTarget, lookupSays(domain::Outcome::kStoreUnavailable),
           503, "STORE_UNAVAILABLE"),
};

class Answers : public ::testing::TestWithParam<HandlerCase> {};

TEST_P(Answers, StatusCodeAndHeaders) {
    const HandlerCase& c = GetParam();
    Harness h;
    if (c.booked) EXPECT_CALL(h.store, bookNow(_, _, _)).WillOnce(Return(*c.booked));
    if (c.found && c.method == verb::delete_)
        EXPECT_CALL(h.store, cancelNow(_, _, _)).WillOnce(Return(*c.found));
    if (c.found && c.method != verb::delete_) EXPECT_CALL(h.store, findNow(_, _)).WillOnce(Return(*c.found));

    const Response response = h.answer(makeRequest(c.method, c.target, c.contentType, c.body));

    EXPECT_EQ(response.result_int(), c.status);
    EXPECT_EQ(codeOf(response), c.code) << response.body();
    EXPECT_EQ(response[field::content_type], "application/json");
    EXPECT_EQ(response[field::server], "jkjav");
    EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(response[field::allow], c.allow);
    if (!c.code.empty() || c.booked || c.found) EXPECT_EQ(response[field::cache_control], "no-store");
    EXPECT_EQ(response.count(field::retry_after) > 0, c.code == "STORE_UNAVAILABLE");
    if (c.status >= 400) EXPECT_EQ(boost::json::parse(response.body()).at("status"), "Failed");
}

INSTANTIATE_TEST_SUITE_P(Routes, Answers, ::testing::ValuesIn(kHandlerCases),
                         [](const auto& info) { return info.param.name; });

TEST(AnswersBookings, ConfirmedBodyCarriesTheBookingAndTheStoreGetsTheNormalisedDraft) {
    Harness h;
    EXPECT_CALL(h.store, bookNow(_, std::string_view("PWTC:20210516"), false))
        .WillOnce([](const domain::Booking& draft, std::string_view, bool) {
            EXPECT_EQ(draft.mysejahteraId, "900127015527");
            EXPECT_EQ(draft.phoneNumber, "+60123456789");
            return storeSays(domain::Outcome::kBooked);
        });
    const Response response = h.answer(makeRequest(verb::post, "/booking", kJson, std::string(kForm)));
    const auto body = boost::json::parse(response.body());
    EXPECT_EQ(body.at("reference"), "JK0000000001");
    EXPECT_EQ(body.at("mysejahteraId"), "900127015527");
}

TEST(AnswersBookings, WaitlistedBodyCarriesThePosition) {
    Harness h;
    EXPECT_CALL(h.store, bookNow(_, _, true)).WillOnce(Return(storeSays(domain::Outcome::kWaitlisted)));
    const Response response = h.answer(
        makeRequest(verb::post, "/booking", kJson, formWith("\"date\"", "\"waitlist\":true,\"date\"")));
    ASSERT_EQ(response.result_int(), 202u);
    EXPECT_EQ(boost::json::parse(response.body()).at("position"), 3);
}

TEST(AnswersBookings, NotEligibleNeverAsksTheStore) {
    Harness h(domain::Campaign("seniors", {}, {{"PWTC", "PWTC", "", {{{2021, 5, 16}, 10}}}},
                               domain::Eligibility{60, {2021, 5, 26}, std::nullopt}));
    const Response response = h.answer(makeRequest(verb::post, "/booking", kJson, std::string(kForm)));
    EXPECT_EQ(response.result_int(), 403u);
    EXPECT_EQ(codeOf(response), "NOT_ELIGIBLE");
}

TEST(AnswersBookings, ValidationNamesEveryBadField) {
    Harness h;
    const Response response =
        h.answer(makeRequest(verb::post, "/booking", kJson, formWith("\"Fadhil\"", "\"\"")));
    ASSERT_EQ(codeOf(response), "INVALID_REQUEST");
    const auto body = boost::json::parse(response.body());
    const auto& errors = body.at("errors").as_array();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].at("field"), "firstName");
}

TEST(AnswersLookups, TheStoreGetsTheDecodedIdAndTheE164Phone) {
    Harness h;
    EXPECT_CALL(h.store, cancelNow("900127015527", "+60123456789", "2021-05-26T01:02:03Z"))
        .WillOnce(Return(lookupSays(domain::Outcome::kFound)));
    const Response response =
        h.answer(makeRequest(verb::delete_, "/booking/900127%2D01%2D5527?phoneNumber=+60123456789"));
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_EQ(boost::json::parse(response.body()).at("reference"), "JK0000000001");
}

TEST(AnswersLookups, ALockedIdAnswersNotFoundWithoutAskingTheStore) {
    Harness h;
    ON_CALL(h.failures, countNow("900127015527")).WillByDefault(Return(5));
    const Response response = h.answer(makeRequest(verb::get, std::string(kLookup)));
    EXPECT_EQ(response.result_int(), 404u);
    EXPECT_EQ(codeOf(response), "NOT_FOUND");
}

// An identity provider that refuses everyone, and remembers what it was asked.
class RefusingIdentity final : public app::IdentityVerifier {
  public:
    explicit RefusingIdentity(app::IdentityFailure failure) : failure_(failure) {}
    [[nodiscard]] std::optional<app::IdentityFailure> verify(std::string_view token,
                                                             std::string_view personId) const override {
        askedToken = token;
        askedPerson = personId;
        return failure_;
    }
    mutable std::string askedToken;
    mutable std::string askedPerson;

  private:
    app::IdentityFailure failure_;
};

struct IdentityCase {
    std::string label;
    app::IdentityFailure failure;
    std::string code;
    std::string wwwAuthenticate;
};
void PrintTo(const IdentityCase& c, std::ostream* out) {
    *out << c.label << ": the verifier refuses -> 401 " << c.code
         << ", WWW-Authenticate: " << c.wwwAuthenticate;
}

class AnswersIdentity : public ::testing::TestWithParam<IdentityCase> {};

TEST_P(AnswersIdentity, ABookingIsRefusedBeforeTheStoreWith401) {
    const auto& c = GetParam();
    Harness harness;  // its StrictMock store fails the test if asked
    const RefusingIdentity identity(c.failure);
    ApiHandler api{harness.campaign,  harness.bookings, harness.lookups,         harness.rateLimits,
                   harness.snapshots, harness.health,   std::chrono::seconds(2), StaticSite::empty(),
                   nullptr,           identity};
    Request request = makeRequest(verb::post, "/booking", kJson, std::string(kForm));
    request.set(field::authorization, "bearer  the.token.here ");
    const Response response = runAwaitable(api.handle(request, kPeer));
    EXPECT_EQ(response.result_int(), 401u);
    EXPECT_EQ(codeOf(response), c.code);
    EXPECT_EQ(response[field::www_authenticate], c.wwwAuthenticate);
    EXPECT_EQ(response[field::cache_control], "no-store");
    EXPECT_EQ(identity.askedToken, "the.token.here");
    EXPECT_EQ(identity.askedPerson, "900127-01-5527");  // as sent: the verifier normalises both sides
}

INSTANTIATE_TEST_SUITE_P(
    Failures, AnswersIdentity,
    ::testing::Values(IdentityCase{"Missing", app::IdentityFailure::kMissing, "UNAUTHENTICATED",
                                   R"(Bearer realm="jkjav")"},
                      IdentityCase{"Expired", app::IdentityFailure::kExpired, "UNAUTHENTICATED",
                                   R"(Bearer realm="jkjav", error="invalid_token")"},
                      IdentityCase{"SomeoneElse", app::IdentityFailure::kSubjectMismatch, "IDENTITY_MISMATCH",
                                   R"(Bearer realm="jkjav", error="invalid_token")"}),
    testing::ByLabel());

TEST(AnswersIdentity, OnlyABearerSchemeCarriesAToken) {
    Request request = makeRequest(verb::post, "/booking");
    EXPECT_EQ(bearerToken(request), "");
    request.set(field::authorization, "Basic dXNlcjpwYXNz");
    EXPECT_EQ(bearerToken(request), "");
    request.set(field::authorization, "Bearer abc");
    EXPECT_EQ(bearerToken(request), "abc");
}

TEST(AnswersUnknownPaths, TheEchoedPathMasksAnIdAndAPhoneNumber) {
    Harness h;
    const Response response =
        h.answer(makeRequest(verb::get, "/bookings/900127015527?phoneNumber=0123456789"));
    EXPECT_EQ(response.result_int(), 404u);
    EXPECT_EQ(codeOf(response), "NOT_FOUND");
    EXPECT_EQ(response.body().find("900127015527"), std::string::npos) << response.body();
    EXPECT_EQ(response.body().find("0123456789"), std::string::npos) << response.body();
    EXPECT_NE(response.body().find("/bookings/9001"), std::string::npos) << response.body();
}

TEST(AnswersRateLimits, BookingsOverTheLimitAre429WithRetryAfterBeforeTheStore) {
    Harness h(testing::pwtcCampaign(), RateLimitSettings{0.5, 0});  // a bucket of one
    EXPECT_CALL(h.store, bookNow(_, _, _)).WillOnce(Return(storeSays(domain::Outcome::kFull)));
    EXPECT_EQ(h.answer(makeRequest(verb::post, "/booking", kJson, std::string(kForm))).result_int(), 409u);
    const Response refused = h.answer(makeRequest(verb::post, "/booking", kJson, std::string(kForm)));
    EXPECT_EQ(refused.result_int(), 429u);
    EXPECT_EQ(codeOf(refused), "RATE_LIMITED");
    EXPECT_GE(std::stoll(std::string(refused[field::retry_after])), 1);
    // Lookups have their own limit, off here.
    EXPECT_CALL(h.store, findNow(_, _)).WillOnce(Return(lookupSays(domain::Outcome::kFound)));
    EXPECT_EQ(h.answer(makeRequest(verb::get, std::string(kLookup))).result_int(), 200u);
}

TEST(AnswersRateLimits, LookupsOverTheLimitAre429AndA405IsNotCounted) {
    Harness h(testing::pwtcCampaign(), RateLimitSettings{0, 0.5});
    EXPECT_EQ(h.answer(makeRequest(verb::post, std::string(kLookup))).result_int(), 405u);
    EXPECT_CALL(h.store, findNow(_, _)).WillOnce(Return(lookupSays(domain::Outcome::kNotFound)));
    EXPECT_EQ(h.answer(makeRequest(verb::get, std::string(kLookup))).result_int(), 404u);
    const Response refused = h.answer(makeRequest(verb::delete_, std::string(kLookup)));
    EXPECT_EQ(refused.result_int(), 429u);
    EXPECT_EQ(codeOf(refused), "RATE_LIMITED");
}

struct ReadinessCase {
    std::string name;
    app::CampaignStatus campaign;
    bool draining;
    long long backlog;
    unsigned status;
    std::string body;
    bool sentinelMajority = true;  // false: no Sentinel majority's verdict in force (AckQuorumWatch)
};

void PrintTo(const ReadinessCase& c, std::ostream* out) { *out << c.name << " -> " << c.body; }

const ReadinessCase kReadinessCases[] = {
    {"Ready", app::CampaignStatus::kOpen, false, 4, 200,
     R"({"status":"READY","store":"UP","campaign":"OPEN","draining":false,"outboxBacklog":4})"},
    {"Draining", app::CampaignStatus::kOpen, true, -1, 503,
     R"({"status":"NOT_READY","reason":"DRAINING","store":"UP","campaign":"OPEN","draining":true,"outboxBacklog":null})"},
    {"StoreDown", app::CampaignStatus::kUnknown, false, -1, 503,
     R"({"status":"NOT_READY","reason":"STORE_DOWN","store":"DOWN","campaign":"UNKNOWN","draining":false,"outboxBacklog":null})"},
    {"NotSeeded", app::CampaignStatus::kNotSeeded, false, 0, 503,
     R"({"status":"NOT_READY","reason":"NOT_SEEDED","store":"UP","campaign":"NOT_SEEDED","draining":false,"outboxBacklog":0})"},
    {"MarkerLost", app::CampaignStatus::kMarkerLost, false, 0, 503,
     R"({"status":"NOT_READY","reason":"MARKER_LOST","store":"UP","campaign":"MARKER_LOST","draining":false,"outboxBacklog":0})"},
    {"NoSentinelMajority", app::CampaignStatus::kOpen, false, 0, 503,
     R"({"status":"NOT_READY","reason":"NO_SENTINEL_MAJORITY","store":"UP","campaign":"OPEN","draining":false,"outboxBacklog":0})",
     false},
    {"DrainingWithoutMajority", app::CampaignStatus::kOpen, true, 0, 503,
     R"({"status":"NOT_READY","reason":"DRAINING","store":"UP","campaign":"OPEN","draining":true,"outboxBacklog":0})",
     false},
};

class Readiness : public ::testing::TestWithParam<ReadinessCase> {};

TEST_P(Readiness, SaysWhyNot) {
    const ReadinessCase& c = GetParam();
    Harness h;
    h.health.campaign = c.campaign;
    h.health.draining = c.draining;
    h.health.outboxBacklog = c.backlog;
    h.health.sentinelMajority = c.sentinelMajority;
    const Response response = h.answer(makeRequest(verb::get, "/readyz"));
    EXPECT_EQ(h.health.ready(), c.status == 200);
    EXPECT_EQ(response.result_int(), c.status);
    EXPECT_EQ(response.body(), c.body);
    EXPECT_EQ(response[field::cache_control], "no-store");
}

INSTANTIATE_TEST_SUITE_P(Health, Readiness, ::testing::ValuesIn(kReadinessCases),
                         [](const auto& info) { return info.param.name; });

TEST(AnswersOpenApi, ServesTheEmbeddedDocumentForFiveMinutes) {
    Harness h;
    const Response response = h.answer(makeRequest(verb::get, "/openapi.json"));
    EXPECT_EQ(response[field::cache_control], "public, max-age=300");
    EXPECT_TRUE(boost::json::parse(response.body()).as_object().contains("openapi"));
}

// Failures found before routing: the session answers them with errorResponse().
struct TransportCase {
    std::string name;
    HttpRefusal code;
    unsigned status;
    std::string text;
};

void PrintTo(const TransportCase& c, std::ostream* out) { *out << c.text << " -> " << c.status; }

const TransportCase kTransportCases[] = {
    {"InvalidRequest", HttpRefusal::kBadFraming, 400, "INVALID_REQUEST"},
    {"PayloadTooLarge", HttpRefusal::kPayloadTooLarge, 413, "PAYLOAD_TOO_LARGE"},
    {"HeadersTooLarge", HttpRefusal::kHeadersTooLarge, 431, "HEADERS_TOO_LARGE"},
    {"RequestTimeout", HttpRefusal::kRequestTimeout, 408, "REQUEST_TIMEOUT"},
    {"ServerBusy", HttpRefusal::kServerBusy, 503, "SERVER_BUSY"},
    {"Internal", HttpRefusal::kInternal, 500, "INTERNAL"},
};

class TransportErrors : public ::testing::TestWithParam<TransportCase> {};

TEST_P(TransportErrors, AreJsonWithTheirCode) {
    const TransportCase& c = GetParam();
    const Response response = ApiHandler::errorResponse(11, c.code, "why");
    EXPECT_EQ(response.result_int(), c.status);
    EXPECT_EQ(codeOf(response), c.text);
    EXPECT_EQ(response[field::cache_control], "no-store");
    EXPECT_EQ(response[field::content_type], "application/json");
}

INSTANTIATE_TEST_SUITE_P(BeforeRouting, TransportErrors, ::testing::ValuesIn(kTransportCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace jkjav::http

// --- The waiting room ---------------------------------------------------------------------------

namespace jkjav::http {
namespace {

TEST(ApiHandlerQueue, WithoutAWaitingRoomItsPathsAnswer404AndBookingsNeedNoTicket) {
    Harness harness;
    const auto join =
        harness.answer(makeRequest(verb::post, "/queue", "application/json", R"({"mysejahteraId":"x"})"));
    EXPECT_EQ(join.result_int(), 404);
    EXPECT_EQ(codeOf(join), "NOT_FOUND");
    EXPECT_EQ(harness.answer(makeRequest(verb::get, "/queue/anything")).result_int(), 404);
}

// A campaign with a queue, its store mocked.
struct QueueHarness {
    QueueHarness() { campaign.setQueue(settings); }

    domain::QueueSettings settings{.opensAtMs = 0,
                                   .preQueueOpensAtMs = 0,
                                   .admitPerSecond = 100,
                                   .admissionSeconds = 600,
                                   .overAdmitFactor = 1.2};
    domain::Campaign campaign = testing::pwtcCampaign();
    StrictMock<testing::MockBookingStore> store;
    StrictMock<testing::MockQueueStore> queueStore;
    testing::PlainTickets tickets;
    testing::FixedClock clock{testing::kMay26()};
    app::BookingService bookings{campaign, store, clock, app::noBookingObserver(), &tickets};
    NiceMock<testing::MockLookupFailures> failures;
    app::LookupGuard lookups{bookings, failures, {}};
    ClientRateLimits rateLimits{{}, {}};
    SnapshotSlot snapshots;
    app::QueueSnapshotSlot queueSnapshots;
    app::QueueService queue{campaign, settings, queueStore, tickets, clock, queueSnapshots, 1};
    ServiceHealth health;
    ApiHandler api{campaign,
                   bookings,
                   lookups,
                   rateLimits,
                   snapshots,
                   health,
                   std::chrono::seconds(2),
                   StaticSite::empty(),
                   nullptr,
                   app::NoIdentityCheck::instance(),
                   &queue};

    Response answer(const Request& request) { return runAwaitable(api.handle(request, kPeer)); }
};

TEST(ApiHandlerQueue, AJoinAnswersThePlaceWithRetryAfter) {
    QueueHarness harness;
    EXPECT_CALL(harness.queueStore, joinNow("m-900127015527", "900127015527"))
        .WillOnce([](std::string, std::string) {
            return app::QueueJoinResult{
                domain::Outcome::kFound,
                {.rank = 40, .admissionExpiresAtMs = -1},
                {.nowMs = 1621990923000, .admittedUpTo = 20, .length = 41, .remaining = 9}};
        });
    const auto response = harness.answer(
        makeRequest(verb::post, "/queue", "application/json", R"({"mysejahteraId":"900127-01-5527"})"));
    ASSERT_EQ(response.result_int(), 200) << response.body();
    EXPECT_EQ(
        boost::json::parse(response.body()),
        boost::json::parse(R"({"ticket":"m-900127015527:40:1621990923000:1","state":"waiting","ahead":20,)"
                           R"("estimatedWaitSeconds":1})"));
    EXPECT_EQ(response[field::retry_after], "1");
    EXPECT_EQ(response[field::cache_control], "no-store");
}

TEST(ApiHandlerQueue, AJoinWithoutThePersonsTokenIsRefusedBeforeTheQueue) {
    QueueHarness harness;  // its StrictMock queue store fails the test if asked
    const RefusingIdentity identity(app::IdentityFailure::kMissing);
    ApiHandler api{harness.campaign,  harness.bookings, harness.lookups,         harness.rateLimits,
                   harness.snapshots, harness.health,   std::chrono::seconds(2), StaticSite::empty(),
                   nullptr,           identity,         &harness.queue};
    const Response response = runAwaitable(api.handle(
        makeRequest(verb::post, "/queue", "application/json", R"({"mysejahteraId":"900127-01-5527"})"),
        kPeer));
    EXPECT_EQ(response.result_int(), 401u);
    EXPECT_EQ(codeOf(response), "UNAUTHENTICATED");
    EXPECT_EQ(identity.askedPerson, "900127-01-5527");
}

TEST(ApiHandlerQueue, BadJoinsAndTicketsAreRefusedWithTheirCodes) {
    QueueHarness harness;
    EXPECT_EQ(codeOf(harness.answer(makeRequest(verb::post, "/queue", "text/plain", "{}"))),
              "UNSUPPORTED_MEDIA_TYPE");
    EXPECT_EQ(codeOf(harness.answer(makeRequest(verb::post, "/queue", "application/json", "[1]"))),
              "MALFORMED_JSON");
    EXPECT_EQ(codeOf(harness.answer(
                  makeRequest(verb::post, "/queue", "application/json", R"({"mysejahteraId":7})"))),
              "INVALID_REQUEST");
    const auto forged = harness.answer(makeRequest(verb::get, "/queue/forged:1"));
    EXPECT_EQ(forged.result_int(), 400);
    EXPECT_EQ(codeOf(forged), "INVALID_TICKET");
}

TEST(ApiHandlerQueue, ABookingWithoutATicketIsToldWhereToJoin) {
    QueueHarness harness;
    const auto response =
        harness.answer(makeRequest(verb::post, "/booking", "application/json", std::string(kForm)));
    EXPECT_EQ(response.result_int(), 403);
    EXPECT_EQ(codeOf(response), "QUEUE_REQUIRED");
    EXPECT_NE(response.body().find("POST /queue"), std::string::npos);
    Request withForged = makeRequest(verb::post, "/booking", "application/json", std::string(kForm));
    withForged.set("X-Queue-Ticket", "forged:3");
    EXPECT_EQ(codeOf(harness.answer(withForged)), "INVALID_TICKET");
}

}  // namespace
}  // namespace jkjav::http
