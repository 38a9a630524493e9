// Test seam, compiled only into test builds (JKJAV_TEST_SEAMS, as the relay's): with
// JKJAV_FAILPOINT=booking-store-throws, a booking at location FAILPOINT throws an exception whose
// message quotes the person's id and phone number, as a library's might. The log test drives the
// HTTP session's last-resort handler with it: a 500 answered, the message logged masked.
#pragma once

#include <memory>
#include <string_view>

#include "app/ports/booking_store.hpp"

namespace jkjav::cmd {

inline constexpr std::string_view kBookingStoreThrows = "booking-store-throws";

// The store the failpoint puts around `real`; nullptr when it is off (always, in other builds).
std::unique_ptr<app::BookingStore> bookingStoreFailpoint(app::BookingStore& real);

}  // namespace jkjav::cmd
