// Reading a booking event back from the topic's JSON (the inverse of eventJson()).
#pragma once

#include <optional>
#include <string_view>

#include "domain/booking_event.hpp"

namespace jkjav::kafka {

// The event, or nullopt when the value is not one the recorder can store as it is: not JSON, a type
// other than booking.created/booking.cancelled, no eventId or reference, an occurredAt that is no
// RFC 3339 time, a date that is no YYYYMMDD calendar day. Fields the booking lacks are empty.
std::optional<domain::BookingEvent> parseEventJson(std::string_view value);

}  // namespace jkjav::kafka
