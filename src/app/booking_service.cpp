#include "app/booking_service.hpp"

#include <cstdio>
#include <ctime>

namespace jkjav::app {

using domain::ErrorCode;

std::string formatRfc3339(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

boost::asio::awaitable<BookingOutcome> BookingService::book(const domain::BookingForm& form) {
    auto validated = domain::validateBookingForm(form);
    if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&validated)) {
        co_return BookingRefused{ErrorCode::kInvalidRequest, "The booking has invalid fields.",
                                 std::move(*errors)};
    }
    const auto& application = std::get<domain::BookingApplication>(validated);

    // Checked here as well as in the store: an unknown slot costs no round trip.
    if (campaign_.findOffer(application.location, application.date) == nullptr) {
        co_return BookingRefused{ErrorCode::kUnknownSlot,
                                 "The campaign offers no slot at " + application.location + " on " +
                                     application.date.compact() + ".",
                                 {}};
    }

    domain::Booking draft{
        application.person.value,   application.firstName,   application.lastName,       application.address,
        application.location,       application.phoneNumber, application.date.compact(), "",
        formatRfc3339(clock_.now())};
    StoreResult stored = co_await store_.book(draft, domain::slotKey(application.location, application.date));

    switch (stored.outcome) {
        case StoreOutcome::kBooked:
            co_return BookingConfirmed{std::move(stored.booking), false};
        case StoreOutcome::kAlreadyHeld:
            co_return BookingConfirmed{std::move(stored.booking), true};
        case StoreOutcome::kAlreadyBooked:
            co_return BookingRefused{
                ErrorCode::kAlreadyBooked, "This person already holds a booking for another slot.", {}};
        case StoreOutcome::kFull:
            co_return BookingRefused{
                ErrorCode::kFull, "No slots are left at this location on this date.", {}};
        case StoreOutcome::kUnknownSlot:
            co_return BookingRefused{ErrorCode::kUnknownSlot, "The campaign offers no such slot.", {}};
        case StoreOutcome::kUnavailable:
            break;
    }
    co_return BookingRefused{ErrorCode::kStoreUnavailable,
                             "Bookings are briefly unavailable; retrying the same request is safe.",
                             {}};
}

}  // namespace jkjav::app
