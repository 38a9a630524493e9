// JSON <-> booking: the request body of POST /booking and the booking answered back.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "domain/booking.hpp"

namespace jkjav::http {

struct MalformedJson {
    std::string message;
};

// Missing or null fields stay empty (validation reports them); fields of the wrong JSON type are
// listed in shapeErrors. Unknown fields are ignored so that clients can be newer than the server.
std::variant<domain::BookingForm, MalformedJson> parseBookingForm(std::string_view body);

std::string bookingJson(const domain::Booking& booking);
// 202 to a waitlist request: {"status":"Waitlisted","code":"WAITLISTED",...,"position":N}.
std::string waitlistedJson(std::string_view location, std::string_view date, long long position);

}  // namespace jkjav::http
