// Every outcome of a booking, a lookup or a cancellation, in one table: how the store's scripts
// spell it, and the `code` and HTTP status clients receive. The status is part of the public
// contract just as the code is, so it lives here as plain data; the HTTP adapter only reads it.
#pragma once

#include <string_view>

namespace jkjav::domain {

enum class Outcome {
    // Answers that carry a booking (or a waitlist place).
    kBooked,       // new booking stored, counter decremented, event queued
    kAlreadyHeld,  // this person already holds this very slot: the stored booking, nothing changed
    kWaitlisted,   // full, and the person now has (or already had) a place in its queue
    kFound,
    kCancelled,
    // Refusals.
    kInvalidRequest,
    kNotEligible,
    kUnknownLocation,
    kUnknownSlot,
    kFull,
    kAlreadyBooked,      // this person holds another slot
    kAlreadyWaitlisted,  // full, and the person already waits for another slot
    kNotFound,           // no booking, or a wrong phone number: answered alike
    kQueueRequired,      // the queue is on and this booking has no admitted, unexpired ticket of this person
    kInvalidTicket,      // a queue ticket this service did not issue (forged or altered)
    kQueueNotOpen,       // a join before the campaign's preQueueOpensAt
    kNotSeeded,          // the store holds no campaign marker (never seeded, or it lost its data)
    kUnconfirmed,        // written on the primary, but too few replicas confirmed it in time (WAIT)
    kStoreUnavailable,   // the store did not answer in time; a booking may or may not exist
};

struct OutcomeSpelling {
    Outcome outcome;
    std::string_view scriptText;  // what book.lua/cancel.lua answer as "outcome"; empty: no script does
    std::string_view code;        // the "code" clients see; empty where the answer is the booking itself
    int httpStatus;
    bool retrySoon;            // answered with Retry-After: 1
    std::string_view message;  // the refusal's message where the use case has nothing more precise
};

// clang-format off
inline constexpr OutcomeSpelling kOutcomes[] = {
    {Outcome::kBooked,            "BOOKED",             "",                   200, false, ""},
    {Outcome::kAlreadyHeld,       "HELD",               "",                   200, false, ""},
    {Outcome::kWaitlisted,        "WAITLISTED",         "WAITLISTED",         202, false,
     "The slot is full; you have a place in its queue and get the slot if a booking is cancelled."},
    {Outcome::kFound,             "",                   "",                   200, false, ""},
    {Outcome::kCancelled,         "CANCELLED",          "",                   200, false, ""},
    {Outcome::kInvalidRequest,    "",                   "INVALID_REQUEST",    400, false, "Invalid request."},
    {Outcome::kNotEligible,       "",                   "NOT_ELIGIBLE",       403, false,
     "This person may not book in this campaign."},
    {Outcome::kUnknownLocation,   "",                   "UNKNOWN_LOCATION",   404, false, "No such location."},
    {Outcome::kUnknownSlot,       "UNKNOWN_SLOT",       "UNKNOWN_SLOT",       422, false,
     "The campaign offers no such slot."},
    {Outcome::kFull,              "FULL",               "FULL",               409, false,
     "No slots are left at this location on this date."},
    {Outcome::kAlreadyBooked,     "ALREADY_BOOKED",     "ALREADY_BOOKED",     409, false,
     "This person already holds a booking for another slot."},
    {Outcome::kAlreadyWaitlisted, "ALREADY_WAITLISTED", "ALREADY_WAITLISTED", 409, false,
     "This person already waits for another slot."},
    {Outcome::kNotFound,          "NOT_FOUND",          "NOT_FOUND",          404, false,
     "No booking matches this id and phone number."},
    {Outcome::kQueueRequired,     "QUEUE_REQUIRED",     "QUEUE_REQUIRED",     403, false,
     "Booking needs an admitted place in the waiting room: join with POST /queue, then book with its "
     "ticket in the X-Queue-Ticket header once GET /queue/{ticket} says admitted."},
    {Outcome::kInvalidTicket,     "",                   "INVALID_TICKET",     400, false,
     "This queue ticket was not issued by this service or was altered; join again with POST /queue."},
    {Outcome::kQueueNotOpen,      "TOO_EARLY",          "QUEUE_NOT_OPEN",     409, false,
     "The waiting room is not open yet; Retry-After says when it opens."},
    // Clients can do nothing about a store that lost its campaign but wait: the same code as an outage.
    {Outcome::kNotSeeded,         "NOT_SEEDED",         "STORE_UNAVAILABLE",  503, true,
     "Bookings are paused: the campaign is not open on the store right now."},
    // The change may or may not survive a failover: the client retries, and the same person asking
    // again for the same slot gets the same booking (book.lua answers HELD), confirmed this time.
    {Outcome::kUnconfirmed,       "",                   "UNCONFIRMED",        503, true,
     "Your request was saved but not yet confirmed by a standby copy of the store; retrying the same "
     "request is safe and answers the same booking."},
    {Outcome::kStoreUnavailable,  "",                   "STORE_UNAVAILABLE",  503, true,
     "Bookings are briefly unavailable; retrying the same request is safe."},
};
// clang-format on

const OutcomeSpelling& spellingOf(Outcome outcome);
// The outcome a script answered; text no script should answer is an unavailable store.
Outcome outcomeFromScript(std::string_view text);
// True for the outcomes that carry a booking or a waitlist place rather than refuse.
bool isSuccess(Outcome outcome);
// True for the answers that say a booking, a waitlist place or a cancellation exists: with
// replication required, these are given only once replicas confirmed them (else kUnconfirmed).
// Refusals change nothing a failover could lose, so they are answered as they are.
bool needsReplicaConfirmation(Outcome outcome);

}  // namespace jkjav::domain
