// Use case: take a booking form, check it against the rules and the campaign, book it in the store.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>
#include <vector>

#include "app/ports/booking_observer.hpp"
#include "app/ports/booking_store.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/queue_tickets.hpp"
#include "domain/booking.hpp"
#include "domain/campaign.hpp"
#include "domain/outcome.hpp"

namespace jkjav::app {

struct BookingConfirmed {
    domain::Booking booking;
    bool alreadyHeld = false;  // a repeat of a booking that already existed
};

struct BookingRefused {
    domain::Outcome outcome;  // a refusal of domain::kOutcomes
    std::string message;
    std::vector<domain::FieldError> errors;
};

struct BookingWaitlisted {
    std::string location;
    std::string date;
    long long position = 0;
};

using BookingOutcome = std::variant<BookingConfirmed, BookingWaitlisted, BookingRefused>;

struct BookingFound {
    domain::Booking booking;
    std::string promotedPersonId;  // cancel only: who got the slot, if anyone was waiting
};

using LookupOutcome = std::variant<BookingFound, BookingRefused>;

// GET and DELETE of a waitlist place: the place (as it was, for a DELETE), or a refusal.
using WaitlistOutcome = std::variant<WaitlistPlace, BookingRefused>;

// The one answer for a wrong phone number, no booking, and a locked id alike.
BookingRefused lookupNotFound();
// The same for a waitlist place.
BookingRefused waitlistNotFound();

// The outcome of kOutcomes an answer of book() stands for (kBooked, kAlreadyHeld, kWaitlisted or
// the refusal's).
domain::Outcome outcomeOf(const BookingOutcome& outcome);

class BookingService {
  public:
    // With `queueTickets` and a campaign with a queue, every booking needs an admitted ticket.
    BookingService(const domain::Campaign& campaign, BookingStore& store, const Clock& clock,
                   BookingObserver& observer = noBookingObserver(),
                   const QueueTickets* queueTickets = nullptr)
        : campaign_(campaign),
          store_(store),
          clock_(clock),
          observer_(observer),
          queueTickets_(queueTickets) {}

    // `queueTicket`: the X-Queue-Ticket header, when sent.
    boost::asio::awaitable<BookingOutcome> book(const domain::BookingForm& form,
                                                std::optional<std::string_view> queueTicket = std::nullopt);
    // Both need the person's id and the phone number the booking was made with; a wrong phone
    // and no booking answer alike (NOT_FOUND), so ids can't be probed.
    boost::asio::awaitable<LookupOutcome> find(std::string_view personId, std::string_view phoneNumber);
    boost::asio::awaitable<LookupOutcome> cancel(std::string_view personId, std::string_view phoneNumber);
    // A waiting person's place, and leaving it; proven by the phone number just as find() is.
    boost::asio::awaitable<WaitlistOutcome> findWaitlistPlace(std::string_view personId,
                                                              std::string_view phoneNumber);
    boost::asio::awaitable<WaitlistOutcome> leaveWaitlist(std::string_view personId,
                                                          std::string_view phoneNumber);

  private:
    BookingOutcome observed(BookingOutcome outcome);  // tells the observer, then answers it

    const domain::Campaign& campaign_;
    BookingStore& store_;
    const Clock& clock_;
    BookingObserver& observer_;
    const QueueTickets* queueTickets_;
};

// "2021-05-26T01:02:03Z": the one timestamp format of the API.
std::string formatRfc3339(std::chrono::system_clock::time_point time);

}  // namespace jkjav::app
