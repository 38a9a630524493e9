#include "adapters/http/booking_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/http/error_response.hpp"
#include "adapters/record_fields.hpp"

namespace jkjav::http {
namespace {

TEST(BookingJson, ReadsStringFieldsAndReportsWrongTypes) {
    const auto result = parseBookingForm(
        R"({"mysejahteraId":"900127015527","firstName":42,"lastName":null,"address":"KL","location":"PWTC",
            "phoneNumber":"0123456789","date":"20210516","extra":"ignored"})");
    ASSERT_TRUE(std::holds_alternative<domain::BookingForm>(result));
    const auto& form = std::get<domain::BookingForm>(result);
    EXPECT_EQ(form.mysejahteraId, "900127015527");
    EXPECT_EQ(form.lastName, "");
    ASSERT_EQ(form.shapeErrors.size(), 1u);
    EXPECT_EQ(form.shapeErrors[0].field, "firstName");
}

TEST(BookingJson, RefusesWhatIsNotAJsonObject) {
    for (const char* body : {"", "{", "[1,2]", "\"text\"", "{\"a\":1}}", "nul"}) {
        EXPECT_TRUE(std::holds_alternative<MalformedJson>(parseBookingForm(body))) << body;
    }
}

TEST(BookingJson, WritesEveryFieldOfTheBooking) {
    const domain::Booking booking{"900127015527", "陈",       "Yaacob",       "KL \"centre\"",       "PWTC",
                                  "0123456789",   "20210516", "JK0000000001", "2021-05-26T01:02:03Z"};
    EXPECT_EQ(
        bookingJson(booking),
        R"({"mysejahteraId":"900127015527","firstName":"陈","lastName":"Yaacob","address":"KL \"centre\"",)"
        R"("location":"PWTC","phoneNumber":"0123456789","date":"20210516","reference":"JK0000000001",)"
        R"("createdAt":"2021-05-26T01:02:03Z"})");
}

// The booking is written field by field; every field reads back as a JSON object of the same
// strings would be serialized by Boost.JSON, escapes included (quotes, backslashes, every control
// character, non-ASCII bytes passed through).
TEST(BookingJson, WritesWhatSerializingTheFieldsAsAnObjectWrites) {
    std::string controls;
    for (char c = 0; c < 0x20; ++c) controls.push_back(c);
    for (const std::string& tricky :
         {std::string("plain"), std::string("\"quoted\" and \\ back"), controls, std::string("陈 \x7f /"),
          std::string(""), std::string(300, 'x') + "\n"}) {
        domain::Booking booking{"900127015527", tricky,         "Yaacob",
                                tricky,         "PWTC",         "0123456789",
                                "20210516",     "JK0000000001", "2021-05-26T01:02:03Z"};
        boost::json::object expected;
        adapters::forEachField(
            booking, [&](std::string_view name, const std::string& value) { expected[name] = value; });
        EXPECT_EQ(bookingJson(booking), boost::json::serialize(expected)) << tricky;
    }
}

TEST(ErrorResponse, HasTheOneErrorShape) {
    EXPECT_EQ(errorBody(domain::Outcome::kFull, "No slots."),
              R"({"status":"Failed","code":"FULL","message":"No slots."})");
    EXPECT_EQ(
        errorBody(domain::Outcome::kInvalidRequest, "Bad.", {{"date", "must be a date"}}),
        R"({"status":"Failed","code":"INVALID_REQUEST","message":"Bad.","errors":[{"field":"date","message":"must be a date"}]})");
    EXPECT_EQ(statusFor(domain::Outcome::kUnknownSlot), boost::beast::http::status::unprocessable_entity);
    EXPECT_EQ(statusFor(domain::Outcome::kStoreUnavailable), boost::beast::http::status::service_unavailable);
}

}  // namespace
}  // namespace jkjav::http
