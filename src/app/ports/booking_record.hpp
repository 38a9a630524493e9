// Port of the system of record (PostgreSQL): booking events applied exactly once in effect.
#pragma once

#include <cstddef>
#include <span>

#include "domain/booking_event.hpp"

namespace jkjav::app {

struct RecordResult {
    bool stored = false;         // false: the store was away or refused; nothing of the batch counts
    std::size_t created = 0;     // booking.created events applied now
    std::size_t cancelled = 0;   // booking.cancelled events applied now
    std::size_t duplicates = 0;  // events whose eventId was already recorded: no effect
    std::size_t conflicts = 0;   // creations for which no row could be written (reconcile reports them)
};

class BookingRecord {
  public:
    virtual ~BookingRecord() = default;
    // Applies the events, in order, in one transaction together with their eventIds; an event
    // already recorded changes nothing. All or nothing: `stored` false means none was.
    virtual RecordResult record(std::span<const domain::BookingEvent> events) = 0;
};

}  // namespace jkjav::app
