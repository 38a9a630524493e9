// Use case: find or cancel a booking, or see or leave a waitlist place, with an id locked after
// too many wrong phone numbers.
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

// Guessing a person's phone number is the one way into their booking or waitlist place: after
// maxFailures wrong numbers for an id within the window (bookings and waitlist places count
// together), its lookups answer NOT_FOUND (exactly as a wrong number does, so the lock itself
// tells nothing) for lockFor, even with the right number.
class LookupGuard {
  public:
    LookupGuard(BookingService& bookings, LookupFailures& failures, LookupLockPolicy policy)
        : bookings_(bookings), failures_(failures), policy_(policy) {}

    boost::asio::awaitable<LookupOutcome> find(std::string_view personId, std::string_view phoneNumber);
    boost::asio::awaitable<LookupOutcome> cancel(std::string_view personId, std::string_view phoneNumber);
    boost::asio::awaitable<WaitlistOutcome> findWaitlistPlace(std::string_view personId,
                                                              std::string_view phoneNumber);
    boost::asio::awaitable<WaitlistOutcome> leaveWaitlist(std::string_view personId,
                                                          std::string_view phoneNumber);

  private:
    enum class Lookup { kFind, kCancel, kFindPlace, kLeave };
    // The lock around one lookup; `locked`: what a locked id answers (the lookup's NOT_FOUND).
    template <class Outcome>
    boost::asio::awaitable<Outcome> guarded(std::string_view personId, std::string_view phoneNumber,
                                            Lookup lookup, Outcome locked);
    template <class Outcome>
    boost::asio::awaitable<Outcome> attempt(std::string_view personId, std::string_view phoneNumber,
                                            Lookup lookup);

    BookingService& bookings_;
    LookupFailures& failures_;
    LookupLockPolicy policy_;
};

}  // namespace jkjav::app
