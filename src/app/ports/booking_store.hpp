// Port: where bookings and slot counters live. The adapter makes each booking one atomic step.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "domain/booking.hpp"
#include "domain/outcome.hpp"

namespace jkjav::app {

// outcome: domain::Outcome as the store's script answered it (kBooked, kAlreadyHeld, kWaitlisted,
// kAlreadyBooked, kFull, kAlreadyWaitlisted, kUnknownSlot, kNotSeeded, kQueueRequired), or
// kStoreUnavailable.
struct StoreResult {
    domain::Outcome outcome = domain::Outcome::kStoreUnavailable;
    domain::Booking booking;         // set for kBooked and kAlreadyHeld
    long long waitlistPosition = 0;  // 1-based, for kWaitlisted
};

// outcome: kFound (kCancelled for a cancel), kNotFound or kStoreUnavailable.
struct FindResult {
    domain::Outcome outcome = domain::Outcome::kStoreUnavailable;
    domain::Booking booking;       // kFound, kCancelled: the booking (for a cancel: the one cancelled)
    std::string promotedPersonId;  // a cancel that handed the slot to the first person waiting
};

// A person's place in a slot's waitlist.
struct WaitlistPlace {
    std::string location;
    std::string date;        // YYYYMMDD
    long long position = 0;  // 1-based: 1 is next to get the slot
    std::string joinedAt;    // RFC 3339, when they joined (the createdAt of the details they sent)
};

// outcome: kFound (kCancelled for leaving), kNotFound or kStoreUnavailable.
struct WaitlistResult {
    domain::Outcome outcome = domain::Outcome::kStoreUnavailable;
    WaitlistPlace place;  // kFound: the place now; kCancelled: the place as it was when left
};

// What the waiting room lets through, checked by the store in the booking's own atomic step.
struct QueuePass {
    QueuePass(std::string_view member = {}, bool waitlistInLine = false)  // NOLINT: a member is a pass
        : member(member), waitlistInLine(waitlistInLine) {}
    std::string_view member;  // empty: the campaign has no waiting room
    // The campaign offers its waitlist to the line: while nothing remains in the whole campaign,
    // a waitlist place needs only a place in line (`member` in the lane), no admission.
    bool waitlistInLine = false;
};

class BookingStore {
  public:
    virtual ~BookingStore() = default;
    // `draft` has every field but reference, which the store assigns. With joinWaitlist, a full
    // slot queues the person instead of refusing them. A non-empty `queue.member` (the waiting room
    // is on) must hold an unexpired admission, checked and consumed in the booking's atomic step
    // (or, for a waitlist place, see QueuePass); otherwise kQueueRequired.
    virtual boost::asio::awaitable<StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                     bool joinWaitlist, QueuePass queue) = 0;
    // The booking of `personId` if its phone number is `phoneNumber` (both normalised; the phone
    // by domain::parsePhoneCredential). A booking stored with an older form of the same number
    // (domain::storedPhoneForms) matches too and is answered with `phoneNumber`.
    virtual boost::asio::awaitable<FindResult> find(std::string_view personId,
                                                    std::string_view phoneNumber) = 0;
    // Cancels it in one atomic step: the slot goes to the first person waiting, or back to the
    // counter; a booking.cancelled event (and booking.created for the promoted) joins the outbox.
    virtual boost::asio::awaitable<FindResult> cancel(std::string_view personId, std::string_view phoneNumber,
                                                      std::string_view cancelledAt) = 0;
    // The waitlist place of `personId` if it was taken with `phoneNumber` (as find() matches it).
    virtual boost::asio::awaitable<WaitlistResult> findWaitlistPlace(std::string_view personId,
                                                                     std::string_view phoneNumber) = 0;
    // Gives that place up in one atomic step: the people behind move up one.
    virtual boost::asio::awaitable<WaitlistResult> leaveWaitlist(std::string_view personId,
                                                                 std::string_view phoneNumber) = 0;
};

}  // namespace jkjav::app
