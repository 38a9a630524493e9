// What the outside world is told about a booking: one event per change, with a stable id.
#pragma once

#include <string>

#include "domain/booking.hpp"

namespace jkjav::domain {

struct BookingEvent {
    std::string eventId;     // stable across redeliveries: consumers drop duplicates by it
    std::string type;        // "booking.created" or "booking.cancelled"
    std::string occurredAt;  // RFC 3339
    Booking booking;
    std::string reason;  // an operator's cancellation says why (jkjav-admin cancel); empty otherwise
    bool operator==(const BookingEvent&) const = default;
};
// The outbox stream's fields: type, occurredAt, the booking's own and reason when there is one
// (eventId is the entry's id).
BOOST_DESCRIBE_STRUCT(BookingEvent, (), (eventId, type, occurredAt, booking, reason))

}  // namespace jkjav::domain
