// Use case: what is left at each location and date, read from the store in one round trip.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/slot_counters.hpp"
#include "domain/campaign.hpp"

namespace jkjav::app {

struct DateAvailability {
    domain::CalendarDate date;
    std::int64_t remaining = 0;
};

struct LocationAvailability {
    const domain::Location* location = nullptr;
    std::vector<DateAvailability> dates;  // in the campaign's date order
    std::int64_t remaining = 0;
};

struct AvailabilityView {
    std::vector<LocationAvailability> locations;  // in the campaign's order
    std::chrono::system_clock::time_point takenAt;
};

class AvailabilityService {
  public:
    AvailabilityService(const domain::Campaign& campaign, SlotCounters& counters, const Clock& clock)
        : campaign_(campaign), counters_(counters), clock_(clock) {}

    // Seeds missing counters after every start or store outage (seeding never overwrites), then
    // reads them all. nullopt while the store is away.
    boost::asio::awaitable<std::optional<AvailabilityView>> refresh();

    [[nodiscard]] bool seeded() const { return seeded_; }

  private:
    const domain::Campaign& campaign_;
    SlotCounters& counters_;
    const Clock& clock_;
    bool seeded_ = false;
};

}  // namespace jkjav::app
