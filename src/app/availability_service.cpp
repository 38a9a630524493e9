#include "app/availability_service.hpp"

#include <algorithm>

namespace jkjav::app {

boost::asio::awaitable<std::optional<AvailabilityView>> AvailabilityService::refresh() {
    if (!seeded_) {
        if (!co_await counters_.seedMissing(campaign_)) co_return std::nullopt;
        seeded_ = true;
    }
    auto table = co_await counters_.readAll();
    if (!table) {
        seeded_ = false;  // the store may come back empty: seed again before the next read
        co_return std::nullopt;
    }

    AvailabilityView view;
    view.takenAt = clock_.now();
    view.locations.reserve(campaign_.locations().size());
    std::string key;
    for (const auto& location : campaign_.locations()) {
        LocationAvailability entry{&location, {}, 0};
        entry.dates.reserve(location.offers.size());
        for (const auto& offer : location.offers) {
            key = domain::slotKey(location.code, offer.date);
            const auto it = table->find(key);
            if (it == table->end()) seeded_ = false;  // flushed under us: re-seed next time
            const std::int64_t remaining = it == table->end() ? 0 : std::max<std::int64_t>(it->second, 0);
            entry.dates.push_back({offer.date, remaining});
            entry.remaining += remaining;
        }
        view.locations.push_back(std::move(entry));
    }
    co_return view;
}

}  // namespace jkjav::app
