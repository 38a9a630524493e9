// Port: hears every booking decision the use case makes, e.g. to count outcomes for metrics.
// The use case is where an outcome is decided, so counting here sees every path (validation,
// eligibility, the store's answer) exactly once, whatever adapter asked.
#pragma once

#include "domain/outcome.hpp"

namespace jkjav::app {

class BookingObserver {
  public:
    virtual ~BookingObserver() = default;
    // Once per booking attempt BookingService::book() answered, and once per cancellation that
    // took effect (kCancelled). Called on the caller's thread; must not block.
    virtual void decided(domain::Outcome outcome) = 0;
};

// For use cases nobody observes (tools, tests): does nothing.
BookingObserver& noBookingObserver();

}  // namespace jkjav::app
