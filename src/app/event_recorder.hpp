// Use case: booking events from the topic into the system of record, exactly once in effect.
// A batch is read, applied in one transaction with its eventIds, and only then committed to the
// consumer group: a crash anywhere redelivers it, and the recorded eventIds make that harmless.
#pragma once

#include <chrono>
#include <stop_token>

#include "app/ports/booking_record.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/event_source.hpp"
#include "app/ports/recorder_observer.hpp"

namespace jkjav::app {

struct RecorderOptions {
    std::size_t batchMax = 5000;
    std::chrono::milliseconds batchWait{100};  // how long next() may wait for a first event
    std::chrono::milliseconds backoffInitial{100};
    std::chrono::milliseconds backoffMax{5000};
};

enum class StepOutcome : std::uint8_t {
    kIdle,       // nothing arrived
    kCommitted,  // a batch recorded and committed
    kAbandoned,  // stop requested while the store was away: the batch stays uncommitted
};

class EventRecorder {
  public:
    EventRecorder(EventSource& source, BookingRecord& record, RecorderObserver& observer,
                  const MonotonicClock& clock, RecorderOptions options = {})
        : source_(source), record_(record), observer_(observer), clock_(clock), options_(options) {}

    // One batch: read it, record it (retrying with a capped backoff while the store is away, until
    // `stop`), commit it. A stop requested meanwhile lets a batch in hand finish when it can.
    StepOutcome step(std::stop_token stop);
    // Steps until `stop`; the batch in hand when it comes is finished first.
    void run(std::stop_token stop);

  private:
    EventSource& source_;
    BookingRecord& record_;
    RecorderObserver& observer_;
    const MonotonicClock& clock_;
    RecorderOptions options_;
};

}  // namespace jkjav::app
