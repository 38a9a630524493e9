// The mappings derived from the records' descriptions: JSON, Lua script arguments, stream fields
// and replies read by name; and the one outcome table.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "adapters/http/booking_json.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/kafka/kafka_event_publisher.hpp"
#include "adapters/redis/redis_record.hpp"
#include "domain/outcome.hpp"

namespace jkjav {
namespace {

const domain::Booking kBooking{"900127015527", "Siti",       "Yaacob",
                               "KL",           "PWTC",       "+60123456789",
                               "20210516",     "JK10000001", "2021-05-26T01:02:03Z"};

// A reply as Redis would send it: RESP bytes through hiredis's own reader.
redis::RedisReply parseResp(const std::string& resp) {
    redisReader* reader = redisReaderCreate();
    redisReaderFeed(reader, resp.data(), resp.size());
    void* reply = nullptr;
    const int status = redisReaderGetReply(reader, &reply);
    redisReaderFree(reader);
    EXPECT_EQ(status, REDIS_OK);
    EXPECT_NE(reply, nullptr) << "incomplete RESP";
    return redis::RedisReply(static_cast<redisReply*>(reply));
}

std::string bulk(std::string_view text) {
    return "$" + std::to_string(text.size()) + "\r\n" + std::string(text) + "\r\n";
}

std::string flatArray(const std::vector<std::string>& items) {
    std::string resp = "*" + std::to_string(items.size()) + "\r\n";
    for (const auto& item : items) resp += bulk(item);
    return resp;
}

TEST(BookingRecord, JsonRoundTripKeepsEveryField) {
    const std::string json = http::bookingJson(kBooking);
    const auto parsed = http::parseBookingForm(json);
    ASSERT_TRUE(std::holds_alternative<domain::BookingForm>(parsed));
    const auto& form = std::get<domain::BookingForm>(parsed);
    EXPECT_EQ(form.mysejahteraId, kBooking.mysejahteraId);
    EXPECT_EQ(form.firstName, kBooking.firstName);
    EXPECT_EQ(form.lastName, kBooking.lastName);
    EXPECT_EQ(form.address, kBooking.address);
    EXPECT_EQ(form.location, kBooking.location);
    EXPECT_EQ(form.phoneNumber, kBooking.phoneNumber);
    EXPECT_EQ(form.date, kBooking.date);
    EXPECT_TRUE(form.shapeErrors.empty());
}

TEST(BookingRecord, WaitlistFlagOfTheWrongTypeIsAShapeError) {
    const auto parsed = http::parseBookingForm(R"({"waitlist":"yes","date":7})");
    ASSERT_TRUE(std::holds_alternative<domain::BookingForm>(parsed));
    const auto& errors = std::get<domain::BookingForm>(parsed).shapeErrors;
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0], (domain::FieldError{"date", "must be a string"}));
    EXPECT_EQ(errors[1], (domain::FieldError{"waitlist", "must be true or false"}));
}

TEST(BookingRecord, ScriptArgumentsAreNameValuePairsWithoutTheExcepted) {
    std::vector<std::string_view> args;
    redis::appendFieldPairs(kBooking, args, {"reference"});
    const std::vector<std::string_view> expected{
        "mysejahteraId", "900127015527", "firstName",   "Siti",
        "lastName",      "Yaacob",       "address",     "KL",
        "location",      "PWTC",         "phoneNumber", "+60123456789",
        "date",          "20210516",     "createdAt",   "2021-05-26T01:02:03Z"};
    EXPECT_EQ(args, expected);
}

TEST(BookingRecord, ReplyIsReadByNameInAnyOrderIgnoringBookkeeping) {
    const auto reply =
        parseResp(flatArray({"outcome",       "HELD",        "slot",        "PWTC:20210516",
                             "reference",     "JK10000001",  "createdAt",   "2021-05-26T01:02:03Z",
                             "date",          "20210516",    "phoneNumber", "+60123456789",
                             "location",      "PWTC",        "address",     "KL",
                             "lastName",      "Yaacob",      "firstName",   "Siti",
                             "mysejahteraId", "900127015527"}));
    domain::Booking booking;
    EXPECT_EQ(redis::assignFromPairs(booking, reply.view()), redis::fieldCount<domain::Booking>());
    EXPECT_EQ(booking, kBooking);
    EXPECT_EQ(redis::valueNamed(reply.view(), "outcome").text(), "HELD");
    EXPECT_TRUE(redis::valueNamed(reply.view(), "promoted").isNil());
}

TEST(BookingRecord, AReplyMissingAFieldIsCountedShort) {
    const auto reply = parseResp(flatArray({"outcome", "BOOKED", "mysejahteraId", "900127015527"}));
    domain::Booking booking;
    EXPECT_EQ(redis::assignFromPairs(booking, reply.view()), 1u);
    EXPECT_LT(1u, redis::fieldCount<domain::Booking>());
}

// A record with a flag, as a booking would be with a `secondDose` field: it crosses into Redis
// and back without a line of mapping code.
struct FlaggedRecord {
    std::string name;
    bool secondDose = false;
};
BOOST_DESCRIBE_STRUCT(FlaggedRecord, (), (name, secondDose))

TEST(BookingRecord, AFlagFieldCrossesAsTrueOrFalse) {
    std::vector<std::string_view> args;
    const FlaggedRecord sent{"Siti", true};  // the arguments are views into it
    redis::appendFieldPairs(sent, args);
    EXPECT_EQ(args, (std::vector<std::string_view>{"name", "Siti", "secondDose", "true"}));
    const auto reply = parseResp(flatArray({"secondDose", "true", "name", "Siti"}));
    FlaggedRecord record;
    EXPECT_EQ(redis::assignFromPairs(record, reply.view()), 2u);
    EXPECT_EQ(record.name, "Siti");
    EXPECT_TRUE(record.secondDose);
}

TEST(BookingRecord, StreamFieldsBecomeTheEventByName) {
    const std::string fields = flatArray({"type",          "booking.cancelled",
                                          "occurredAt",    "2021-05-27T00:00:00Z",
                                          "reference",     "JK10000001",
                                          "mysejahteraId", "900127015527",
                                          "firstName",     "Siti",
                                          "lastName",      "Yaacob",
                                          "address",       "KL",
                                          "location",      "PWTC",
                                          "date",          "20210516",
                                          "createdAt",     "2021-05-26T01:02:03Z",
                                          "phoneNumber",   "+60123456789"});
    const auto entry = parseResp("*2\r\n" + bulk("1700000000000-0") + fields);
    const auto out = redis::outboxEntryFrom(entry.view());
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->entryId, "1700000000000-0");
    EXPECT_EQ(out->event.eventId, "jkjav-1700000000000-0");
    EXPECT_EQ(out->event.type, "booking.cancelled");
    EXPECT_EQ(out->event.occurredAt, "2021-05-27T00:00:00Z");
    EXPECT_EQ(out->event.booking, kBooking);
}

TEST(BookingRecord, AnOlderStreamEntryWithoutCreatedAtTakesOccurredAt) {
    const auto entry = parseResp("*2\r\n" + bulk("1-0") +
                                 flatArray({"type", "booking.created", "occurredAt", "2021-05-26T01:02:03Z",
                                            "mysejahteraId", "900127015527"}));
    const auto out = redis::outboxEntryFrom(entry.view());
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->event.booking.createdAt, "2021-05-26T01:02:03Z");
    EXPECT_EQ(out->event.booking.mysejahteraId, "900127015527");
}

TEST(BookingRecord, AStreamEntryDeletedWhilePendingIsNoEvent) {
    const auto entry = parseResp("*2\r\n" + bulk("1-0") + "*-1\r\n");
    EXPECT_FALSE(redis::outboxEntryFrom(entry.view()).has_value());
}

TEST(BookingRecord, KafkaEventCarriesTheBookingsFieldsButCreatedAt) {
    const domain::BookingEvent event{"jkjav-1-0", "booking.created", "2021-05-26T01:02:03Z", kBooking};
    const auto json = boost::json::parse(kafka::eventJson(event)).as_object();
    EXPECT_EQ(json.at("eventId"), "jkjav-1-0");
    EXPECT_EQ(json.at("type"), "booking.created");
    EXPECT_EQ(json.at("occurredAt"), "2021-05-26T01:02:03Z");
    const auto& booking = json.at("booking").as_object();
    EXPECT_EQ(booking.size(), 8u);
    EXPECT_FALSE(booking.contains("createdAt"));  // occurredAt says when
    EXPECT_EQ(booking.at("mysejahteraId").as_string(), kBooking.mysejahteraId);
    EXPECT_EQ(booking.at("reference").as_string(), kBooking.reference);
    EXPECT_EQ(booking.at("phoneNumber").as_string(), kBooking.phoneNumber);
    EXPECT_EQ(booking.at("address").as_string(), kBooking.address);
}

// The wire contract of every outcome a script can answer, written out independently of the table.
struct ScriptOutcomeCase {
    std::string_view scriptText;
    domain::Outcome outcome;
    std::string_view code;
    int status;
};

void PrintTo(const ScriptOutcomeCase& c, std::ostream* os) {
    *os << c.scriptText << " -> " << (c.code.empty() ? "(no code)" : c.code) << " " << c.status;
}

class StoreOutcomes : public ::testing::TestWithParam<ScriptOutcomeCase> {};

TEST_P(StoreOutcomes, ScriptTextMapsToOneCodeAndStatus) {
    const auto& c = GetParam();
    EXPECT_EQ(domain::outcomeFromScript(c.scriptText), c.outcome);
    const auto& spelling = domain::spellingOf(c.outcome);
    EXPECT_EQ(spelling.code, c.code);
    EXPECT_EQ(spelling.httpStatus, c.status);
    if (!c.code.empty()) EXPECT_EQ(static_cast<int>(http::wireError(c.outcome).status), c.status);
}

INSTANTIATE_TEST_SUITE_P(
    Script, StoreOutcomes,
    ::testing::Values(
        ScriptOutcomeCase{"BOOKED", domain::Outcome::kBooked, "", 200},
        ScriptOutcomeCase{"HELD", domain::Outcome::kAlreadyHeld, "", 200},
        ScriptOutcomeCase{"WAITLISTED", domain::Outcome::kWaitlisted, "WAITLISTED", 202},
        ScriptOutcomeCase{"CANCELLED", domain::Outcome::kCancelled, "", 200},
        ScriptOutcomeCase{"ALREADY_BOOKED", domain::Outcome::kAlreadyBooked, "ALREADY_BOOKED", 409},
        ScriptOutcomeCase{"FULL", domain::Outcome::kFull, "FULL", 409},
        ScriptOutcomeCase{"ALREADY_WAITLISTED", domain::Outcome::kAlreadyWaitlisted, "ALREADY_WAITLISTED",
                          409},
        ScriptOutcomeCase{"UNKNOWN_SLOT", domain::Outcome::kUnknownSlot, "UNKNOWN_SLOT", 422},
        ScriptOutcomeCase{"NOT_FOUND", domain::Outcome::kNotFound, "NOT_FOUND", 404},
        ScriptOutcomeCase{"NOT_SEEDED", domain::Outcome::kNotSeeded, "STORE_UNAVAILABLE", 503},
        ScriptOutcomeCase{"SOMETHING_NEW", domain::Outcome::kStoreUnavailable, "STORE_UNAVAILABLE", 503},
        ScriptOutcomeCase{"", domain::Outcome::kStoreUnavailable, "STORE_UNAVAILABLE", 503}),
    [](const ::testing::TestParamInfo<ScriptOutcomeCase>& info) {
        std::string name = info.param.scriptText.empty() ? "NoText" : std::string(info.param.scriptText);
        std::erase(name, '_');
        return name;
    });

// The transport's own refusals: answered by the HTTP adapter, never by the domain.
TEST(HttpRefusals, KeepTheirCodesAndStatuses) {
    using http::HttpRefusal;
    const std::pair<HttpRefusal, std::pair<std::string_view, int>> expected[] = {
        {HttpRefusal::kBadFraming, {"INVALID_REQUEST", 400}},
        {HttpRefusal::kMalformedJson, {"MALFORMED_JSON", 400}},
        {HttpRefusal::kPayloadTooLarge, {"PAYLOAD_TOO_LARGE", 413}},
        {HttpRefusal::kHeadersTooLarge, {"HEADERS_TOO_LARGE", 431}},
        {HttpRefusal::kRequestTimeout, {"REQUEST_TIMEOUT", 408}},
        {HttpRefusal::kUnsupportedMediaType, {"UNSUPPORTED_MEDIA_TYPE", 415}},
        {HttpRefusal::kNoSuchEndpoint, {"NOT_FOUND", 404}},
        {HttpRefusal::kMethodNotAllowed, {"METHOD_NOT_ALLOWED", 405}},
        {HttpRefusal::kRateLimited, {"RATE_LIMITED", 429}},
        {HttpRefusal::kServerBusy, {"SERVER_BUSY", 503}},
        {HttpRefusal::kInternal, {"INTERNAL", 500}},
    };
    for (const auto& [refusal, wire] : expected) {
        EXPECT_EQ(http::wireError(refusal).code, wire.first);
        EXPECT_EQ(static_cast<int>(http::wireError(refusal).status), wire.second) << wire.first;
    }
}

}  // namespace
}  // namespace jkjav
