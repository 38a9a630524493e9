#include "app/availability_service.hpp"

#include <algorithm>

namespace jkjav::app {

std::string_view toString(CampaignStatus status) {
    switch (status) {
        case CampaignStatus::kUnknown:
            return "UNKNOWN";
        case CampaignStatus::kOpen:
            return "OPEN";
        case CampaignStatus::kNotSeeded:
            return "NOT_SEEDED";
        case CampaignStatus::kMarkerLost:
            return "MARKER_LOST";
        case CampaignStatus::kOtherCampaign:
            return "OTHER_CAMPAIGN";
    }
    return "UNKNOWN";
}

boost::asio::awaitable<AvailabilityRefresh> AvailabilityService::refresh() {
    auto read = co_await counters_.readAll();
    if (!read) co_return AvailabilityRefresh{};

    AvailabilityRefresh result;
    result.marker = read->marker;
    if (!read->marker) {
        result.status = seenEpoch_ ? CampaignStatus::kMarkerLost : CampaignStatus::kNotSeeded;
        co_return result;
    }
    if (read->marker->campaignId != campaign_.name()) {
        result.status = CampaignStatus::kOtherCampaign;
        co_return result;
    }
    seenEpoch_ = read->marker->epoch;
    result.status = CampaignStatus::kOpen;

    AvailabilityView view;
    view.takenAt = clock_.now();
    view.locations.reserve(campaign_.locations().size());
    std::string key;
    for (const auto& location : campaign_.locations()) {
        LocationAvailability entry{&location, {}, 0};
        entry.dates.reserve(location.offers.size());
        for (const auto& offer : location.offers) {
            key = domain::slotKey(location.code, offer.date);
            // A date added to the file but not yet seeded shows as full: booking it is refused.
            const auto it = read->counters.find(key);
            const std::int64_t remaining =
                it == read->counters.end() ? 0 : std::max<std::int64_t>(it->second, 0);
            entry.dates.push_back({offer.date, remaining});
            entry.remaining += remaining;
        }
        view.locations.push_back(std::move(entry));
    }
    result.view = std::move(view);
    co_return result;
}

}  // namespace jkjav::app
