// The recorder's reading of the topic's events: the inverse of the relay's eventJson(), and what it
// refuses (so one bad message cannot fail every batch it would be in).
#include "adapters/kafka/booking_event_json.hpp"

#include <gtest/gtest.h>

#include "adapters/kafka/kafka_event_publisher.hpp"
#include "case_names.hpp"

namespace jkjav::kafka {
namespace {

domain::BookingEvent sample() {
    return {.eventId = "jkjav-1716950400000-0",
            .type = "booking.cancelled",
            .occurredAt = "2021-05-26T01:02:03.250Z",
            .booking = {.mysejahteraId = "900127015527",
                        .firstName = "Fadhil",
                        .lastName = "Yaacob",
                        .address = "Kuala Lumpur",
                        .location = "PWTC",
                        .phoneNumber = "+60123456789",
                        .date = "20210516",
                        .reference = "JKTP2JVF0000001",
                        .createdAt = ""},
            .reason = "registered twice"};
}

TEST(BookingEventJson, ReadsBackWhatTheRelayWrites) {
    EXPECT_EQ(parseEventJson(eventJson(sample())), sample());
    auto created = sample();
    created.type = "booking.created";
    created.reason = "";
    EXPECT_EQ(parseEventJson(eventJson(created)), created);
}

struct Refused {
    std::string label;
    std::string json;
    friend void PrintTo(const Refused& refused, std::ostream* out) {
        *out << refused.label << ": " << refused.json;
    }
};

class RefusedEvents : public ::testing::TestWithParam<Refused> {};

TEST_P(RefusedEvents, AreNoBookingEvent) { EXPECT_EQ(parseEventJson(GetParam().json), std::nullopt); }

const std::string kBooking =
    R"("booking":{"mysejahteraId":"900127015527","location":"PWTC","date":"20210516","reference":"JK1"})";

INSTANTIATE_TEST_SUITE_P(
    BookingEventJson, RefusedEvents,
    ::testing::Values(
        Refused{"not json", "not json"}, Refused{"an array", "[1]"},
        Refused{"no booking",
                R"({"eventId":"e","type":"booking.created","occurredAt":"2021-05-26T01:02:03Z"})"},
        Refused{
            "unknown type",
            R"({"eventId":"e","type":"booking.moved","occurredAt":"2021-05-26T01:02:03Z",)" + kBooking + "}"},
        Refused{"no eventId",
                R"({"type":"booking.created","occurredAt":"2021-05-26T01:02:03Z",)" + kBooking + "}"},
        Refused{"occurredAt no time",
                R"({"eventId":"e","type":"booking.created","occurredAt":"yesterday",)" + kBooking + "}"},
        Refused{"occurredAt impossible day",
                R"({"eventId":"e","type":"booking.created","occurredAt":"2021-02-30T01:02:03Z",)" + kBooking +
                    "}"},
        Refused{
            "date no day",
            R"({"eventId":"e","type":"booking.created","occurredAt":"2021-05-26T01:02:03Z","booking":{"mysejahteraId":"9","location":"PWTC","date":"20211301","reference":"JK1"}})"},
        Refused{
            "no reference",
            R"({"eventId":"e","type":"booking.created","occurredAt":"2021-05-26T01:02:03Z","booking":{"mysejahteraId":"9","location":"PWTC","date":"20210516"}})"}),
    jkjav::testing::ByLabel());

TEST(BookingEventJson, AcceptsNumericOffsets) {
    auto event = sample();
    event.occurredAt = "2021-05-26T09:02:03+08:00";
    EXPECT_EQ(parseEventJson(eventJson(event)), event);
}

}  // namespace
}  // namespace jkjav::kafka
