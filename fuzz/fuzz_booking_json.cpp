// A POST /booking body -> parseBookingForm -> validateBookingForm -> the JSON answered back.
// Promises: nothing throws; an accepted form is normalised for good (validating it again changes
// nothing), and both the booking and the error body it produces are valid UTF-8 JSON.
#include <boost/json/parse.hpp>
#include <cstdint>

#include "adapters/http/booking_json.hpp"
#include "adapters/http/error_response.hpp"
#include "domain/booking.hpp"
#include "domain/person_id.hpp"
#include "fuzz_invariants.hpp"

namespace {

using namespace jkjav;

void checkAccepted(const domain::BookingForm& form, const domain::BookingApplication& application) {
    const domain::Booking booking{
        application.person.value, application.firstName,   application.lastName,       application.address,
        application.location,     application.phoneNumber, application.date.compact(), "JK1",
        "2021-06-01T00:00:00Z"};
    const std::string answered = http::bookingJson(booking);
    fuzz::require(fuzz::isJson(answered), "the booking answered back is valid JSON");

    // What the store keeps must pass the same checks unchanged (a lookup re-parses the id).
    domain::BookingForm again = form;
    again.mysejahteraId = booking.mysejahteraId;
    again.firstName = booking.firstName;
    again.lastName = booking.lastName;
    again.address = booking.address;
    again.phoneNumber = booking.phoneNumber;
    again.date = booking.date;
    const auto revalidated = domain::validateBookingForm(again);
    const auto* same = std::get_if<domain::BookingApplication>(&revalidated);
    fuzz::require(same != nullptr, "a normalised booking validates again");
    fuzz::require(same->person.value == application.person.value &&
                      same->phoneNumber == application.phoneNumber &&
                      same->firstName == application.firstName && same->address == application.address,
                  "normalising is idempotent");
    const std::string masked = domain::maskPersonal(application.person.value);
    fuzz::require(application.person.value.size() < 4 || masked != application.person.value,
                  "a masked id is never the whole id");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto parsed = http::parseBookingForm(body);
    if (const auto* malformed = std::get_if<http::MalformedJson>(&parsed)) {
        fuzz::require(fuzz::isJson(http::errorBody(http::HttpRefusal::kMalformedJson, malformed->message)),
                      "a malformed-JSON error is valid JSON");
        return 0;
    }
    const auto& form = std::get<domain::BookingForm>(parsed);
    const auto validated = domain::validateBookingForm(form);
    if (const auto* errors = std::get_if<std::vector<domain::FieldError>>(&validated)) {
        fuzz::require(!errors->empty(), "a refusal says why");
        fuzz::require(fuzz::isJson(http::errorBody(domain::Outcome::kInvalidRequest, "invalid", *errors)),
                      "field errors are valid JSON");
        return 0;
    }
    checkAccepted(form, std::get<domain::BookingApplication>(validated));
    return 0;
}
