// gmock doubles of the recorder's ports (app/ports/event_source.hpp, booking_record.hpp,
// recorder_observer.hpp).
#pragma once

#include <gmock/gmock.h>

#include "app/ports/booking_record.hpp"
#include "app/ports/event_source.hpp"
#include "app/ports/recorder_observer.hpp"

namespace jkjav::testing {

class MockEventSource : public app::EventSource {
  public:
    MOCK_METHOD(app::ConsumedBatch, next, (std::size_t max, std::chrono::milliseconds wait), (override));
    MOCK_METHOD(bool, commit, (), (override));
    MOCK_METHOD(std::optional<long long>, lag, (), (override));
};

class MockBookingRecord : public app::BookingRecord {
  public:
    MOCK_METHOD(app::RecordResult, record, (std::span<const domain::BookingEvent> events), (override));
};

class MockRecorderObserver : public app::RecorderObserver {
  public:
    MOCK_METHOD(void, batchRecorded,
                (std::size_t events, const app::RecordResult& result, std::chrono::nanoseconds transaction),
                (override));
    MOCK_METHOD(void, malformedSkipped, (std::size_t messages), (override));
    MOCK_METHOD(void, storeFailed, (), (override));
    MOCK_METHOD(void, lagMeasured, (std::optional<long long> lag), (override));
};

}  // namespace jkjav::testing
