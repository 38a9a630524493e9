#include "adapters/http/availability_snapshot.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/http/etag.hpp"
#include "adapters/http/wire_bytes.hpp"
#include "app/booking_service.hpp"

namespace jkjav::http {
namespace {

PreparedBody prepare(std::string body) {
    PreparedBody prepared;
    prepared.etag = strongEtagOf(body);
    prepared.head200 = wire::snapshotHead200(prepared.etag, body.size());
    prepared.head304 = wire::snapshotHead304(prepared.etag);
    prepared.body = std::move(body);
    return prepared;
}

std::string rfc3339OfMs(std::int64_t ms) {
    return app::formatRfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

// The waiting room as the booking page needs it before anyone joins: that there is one, when the
// draw happens and how long an admission lasts. Fixed for the campaign, so it costs nothing here.
boost::json::object queueOf(const domain::QueueSettings& queue) {
    return {{"opensAt", rfc3339OfMs(queue.opensAtMs)},
            {"preQueueOpensAt", rfc3339OfMs(queue.preQueueOpensAtMs)},
            {"admissionSeconds", queue.admissionSeconds}};
}

}  // namespace

std::shared_ptr<const AvailabilitySnapshot> AvailabilitySnapshot::build(
    const app::AvailabilityView& view, const domain::Campaign& campaign,
    std::chrono::steady_clock::time_point takenAt) {
    auto snapshot = std::make_shared<AvailabilitySnapshot>();
    snapshot->takenAt_ = takenAt;

    boost::json::array locations;
    for (const auto& entry : view.locations) {
        const auto& code = entry.location->code;
        boost::json::array stationEntries;
        boost::json::array dates;
        for (const auto& date : entry.dates) {
            const std::string compact = date.date.compact();
            stationEntries.push_back(
                {{"location", code}, {"date", compact}, {"availability", date.remaining}});
            dates.push_back({{"date", compact}, {"availability", date.remaining}});
        }
        snapshot->stations_.emplace(code, prepare(boost::json::serialize(stationEntries)));
        locations.push_back({{"code", code},
                             {"name", entry.location->name},
                             {"state", entry.location->stateKey},
                             {"availability", entry.remaining},
                             {"dates", std::move(dates)}});
    }
    boost::json::array states;
    for (const auto& state : campaign.states()) states.push_back({{"key", state.key}, {"name", state.name}});
    boost::json::object document{
        {"campaign", campaign.name()}, {"states", std::move(states)}, {"locations", std::move(locations)}};
    if (campaign.queue()) document["queue"] = queueOf(*campaign.queue());
    snapshot->locations_ = prepare(boost::json::serialize(document));
    return snapshot;
}

const PreparedBody* AvailabilitySnapshot::station(std::string_view locationCode) const {
    const auto it = stations_.find(locationCode);
    return it == stations_.end() ? nullptr : &it->second;
}

}  // namespace jkjav::http
