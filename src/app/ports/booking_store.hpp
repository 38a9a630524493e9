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
    kWaitlisted,         // full, and the person now has (or already had) a place in its queue
    kAlreadyWaitlisted,  // full, and the person already waits for another slot
    kUnknownSlot,
    kNotSeeded,    // the store holds no campaign marker (never seeded, or it lost its data)
    kUnavailable,  // the store did not answer in time; the booking may or may not exist
};

struct StoreResult {
    StoreOutcome outcome = StoreOutcome::kUnavailable;
    domain::Booking booking;         // set for kBooked and kAlreadyHeld
    long long waitlistPosition = 0;  // 1-based, for kWaitlisted
};

enum class FindOutcome { kFound, kNotFound, kUnavailable };

struct FindResult {
    FindOutcome outcome = FindOutcome::kUnavailable;
    domain::Booking booking;       // kFound: the booking (for a cancel: the one cancelled)
    std::string promotedPersonId;  // a cancel that handed the slot to the first person waiting
};

class BookingStore {
  public:
    virtual ~BookingStore() = default;
    // `draft` has every field but reference, which the store assigns. With joinWaitlist, a full
    // slot queues the person instead of refusing them.
    virtual boost::asio::awaitable<StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                     bool joinWaitlist) = 0;
    // The booking of `personId` if its phone number is `phoneNumber` (both normalised; the phone
    // by domain::parsePhoneCredential). A booking stored with an older form of the same number
    // (domain::storedPhoneForms) matches too and is answered with `phoneNumber`.
    virtual boost::asio::awaitable<FindResult> find(std::string_view personId,
                                                    std::string_view phoneNumber) = 0;
    // Cancels it in one atomic step: the slot goes to the first person waiting, or back to the
    // counter; a booking.cancelled event (and booking.created for the promoted) joins the outbox.
    virtual boost::asio::awaitable<FindResult> cancel(std::string_view personId, std::string_view phoneNumber,
                                                      std::string_view cancelledAt) = 0;
};

}  // namespace jkjav::app
