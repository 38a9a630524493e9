// Port of the stream of booking events the recorder consumes (the booking-slot topic).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "domain/booking_event.hpp"

namespace jkjav::app {

struct ConsumedBatch {
    std::vector<domain::BookingEvent> events;  // in the order read (a person's events in order)
    std::size_t malformed = 0;                 // messages that are no booking event: skipped
    [[nodiscard]] bool empty() const { return events.empty() && malformed == 0; }
};

class EventSource {
  public:
    virtual ~EventSource() = default;
    // The next events, up to `max`, waiting at most `wait` for the first. What is handed out stays
    // uncommitted until commit(): a crash before it redelivers them.
    virtual ConsumedBatch next(std::size_t max, std::chrono::milliseconds wait) = 0;
    // Marks everything handed out so far as consumed (the consumer group's offsets); false if the
    // broker did not confirm (the events may come again, which their eventIds make harmless).
    virtual bool commit() = 0;
    // Events in the topic not yet handed out to this member (its partitions); nullopt until known.
    virtual std::optional<long long> lag() = 0;
};

}  // namespace jkjav::app
