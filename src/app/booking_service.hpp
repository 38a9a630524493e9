// Use case: take a booking form, check it against the rules and the campaign, book it in the store.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>
#include <vector>

#include "app/ports/booking_store.hpp"
#include "app/ports/clock.hpp"
#include "domain/booking.hpp"
#include "domain/campaign.hpp"
#include "domain/error_code.hpp"

namespace jkjav::app {

struct BookingConfirmed {
    domain::Booking booking;
    bool alreadyHeld = false;  // a repeat of a booking that already existed
};

struct BookingRefused {
    domain::ErrorCode code;
    std::string message;
    std::vector<domain::FieldError> errors;
};

using BookingOutcome = std::variant<BookingConfirmed, BookingRefused>;

class BookingService {
  public:
    BookingService(const domain::Campaign& campaign, BookingStore& store, const Clock& clock)
        : campaign_(campaign), store_(store), clock_(clock) {}

    boost::asio::awaitable<BookingOutcome> book(const domain::BookingForm& form);

  private:
    const domain::Campaign& campaign_;
    BookingStore& store_;
    const Clock& clock_;
};

// "2021-05-26T01:02:03Z": the one timestamp format of the API.
std::string formatRfc3339(std::chrono::system_clock::time_point time);

}  // namespace jkjav::app
