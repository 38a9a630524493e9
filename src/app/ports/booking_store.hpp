// Port: where bookings and slot counters live. The adapter makes each booking one atomic step.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "domain/booking.hpp"

namespace jkjav::app {

enum class StoreOutcome {
    kBooked,         // new booking stored, counter decremented, event queued
    kAlreadyHeld,    // this person already holds this very slot: the stored booking, nothing changed
    kAlreadyBooked,  // this person holds another slot
    kFull,
    kUnknownSlot,
    kUnavailable,  // the store did not answer in time; the booking may or may not exist
};

struct StoreResult {
    StoreOutcome outcome = StoreOutcome::kUnavailable;
    domain::Booking booking;  // set for kBooked and kAlreadyHeld
};

class BookingStore {
  public:
    virtual ~BookingStore() = default;
    // `draft` has every field but reference, which the store assigns.
    virtual boost::asio::awaitable<StoreResult> book(const domain::Booking& draft,
                                                     std::string_view slotKey) = 0;
};

}  // namespace jkjav::app
