// Port: what the recorder reports as it goes (its metrics are one implementation).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "app/ports/booking_record.hpp"

namespace jkjav::app {

class RecorderObserver {
  public:
    virtual ~RecorderObserver() = default;
    // A batch committed to the store: its size, what it did, how long its transaction took.
    virtual void batchRecorded(std::size_t events, const RecordResult& result,
                               std::chrono::nanoseconds transaction) = 0;
    virtual void malformedSkipped(std::size_t messages) = 0;
    // The store refused or was away (the batch is retried).
    virtual void storeFailed() = 0;
    virtual void lagMeasured(std::optional<long long> lag) = 0;
};

}  // namespace jkjav::app
