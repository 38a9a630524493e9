// Use case: what is left at each location and date, and whether the campaign is open on the
// store at all, read in one round trip.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
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

// Whether this campaign may take bookings, as the last read of the store found it.
enum class CampaignStatus {
    kUnknown,        // the store has not answered yet (or is away)
    kOpen,           // the marker of this campaign is there
    kNotSeeded,      // no marker, and this process never saw one: an operator must seed
    kMarkerLost,     // the marker this process saw is gone: the store lost its data
    kOtherCampaign,  // the store holds another campaign's marker
};

std::string_view toString(CampaignStatus status);

struct AvailabilityRefresh {
    CampaignStatus status = CampaignStatus::kUnknown;
    std::optional<AvailabilityView> view;  // only while kOpen
    std::optional<CampaignMarker> marker;  // as read, for reports
};

class AvailabilityService {
  public:
    AvailabilityService(const domain::Campaign& campaign, SlotCounters& counters, const Clock& clock)
        : campaign_(campaign), counters_(counters), clock_(clock) {}

    // Never seeds: a store that lost its data must not reopen the campaign by itself.
    boost::asio::awaitable<AvailabilityRefresh> refresh();

  private:
    const domain::Campaign& campaign_;
    SlotCounters& counters_;
    const Clock& clock_;
    std::optional<std::string> seenEpoch_;  // the last marker's epoch this process saw
};

}  // namespace jkjav::app
