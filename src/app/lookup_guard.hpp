// Use case: find or cancel a booking, with an id locked after too many wrong phone numbers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string_view>

#include "app/booking_service.hpp"
#include "app/ports/lookup_failures.hpp"

namespace jkjav::app {

struct LookupLockPolicy {
    long long maxFailures = 5;  // 0: no lock
    std::chrono::seconds window{15 * 60};
    std::chrono::seconds lockFor{15 * 60};
};

// Guessing a person's phone number is the one way into their booking: after maxFailures wrong
// numbers for an id within the window, its lookups and cancels answer NOT_FOUND (exactly as a
// wrong number does, so the lock itself tells nothing) for lockFor, even with the right number.
class LookupGuard {
  public:
    LookupGuard(BookingService& bookings, LookupFailures& failures, LookupLockPolicy policy)
        : bookings_(bookings), failures_(failures), policy_(policy) {}

    boost::asio::awaitable<LookupOutcome> find(std::string_view personId, std::string_view phoneNumber);
    boost::asio::awaitable<LookupOutcome> cancel(std::string_view personId, std::string_view phoneNumber);

  private:
    boost::asio::awaitable<LookupOutcome> guarded(std::string_view personId, std::string_view phoneNumber,
                                                  bool cancelling);

    BookingService& bookings_;
    LookupFailures& failures_;
    LookupLockPolicy policy_;
};

}  // namespace jkjav::app
