// A campaign file's text -> parseCampaign -> the campaign the server would serve. Promises: nothing
// throws; a campaign accepted is valid, every offer it lists can be found again by its location
// and date, and its availability documents are valid JSON.
#include <boost/json/parse.hpp>
#include <cstdint>

#include "adapters/config/campaign_file.hpp"
#include "adapters/http/availability_snapshot.hpp"
#include "fuzz_invariants.hpp"

namespace {

using namespace jkjav;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = config::parseCampaign(text);
    if (const auto* error = std::get_if<config::CampaignFileError>(&parsed)) {
        fuzz::require(!error->message.empty(), "a refusal says why");
        return 0;
    }
    const auto& campaign = std::get<domain::Campaign>(parsed);
    fuzz::require(campaign.validate().empty(), "an accepted campaign is valid");

    const std::int64_t total = campaign.totalCapacity();  // first: its own overflow is its bug, not ours
    app::AvailabilityView view;
    std::int64_t capacity = 0;
    for (const auto& location : campaign.locations()) {
        fuzz::require(campaign.findLocation(location.code) == &location,
                      "every location is found by its code");
        app::LocationAvailability available{&location, {}, 0};
        for (const auto& offer : location.offers) {
            fuzz::require(campaign.findOffer(location.code, offer.date) == &offer, "every offer is found");
            fuzz::require(offer.capacity >= 0, "no negative capacity");
            capacity += offer.capacity;
            available.dates.push_back({offer.date, offer.capacity});
            available.remaining += offer.capacity;
        }
        view.locations.push_back(std::move(available));
    }
    fuzz::require(capacity == total, "the total is the sum of the offers");

    const auto snapshot = http::AvailabilitySnapshot::build(view, campaign, std::chrono::steady_clock::now());
    fuzz::require(fuzz::isJson(snapshot->locations().body), "/locations is valid JSON");
    for (const auto& location : campaign.locations()) {
        const auto* station = snapshot->station(location.code);
        fuzz::require(station != nullptr && fuzz::isJson(station->body),
                      "every station's document is valid JSON");
    }
    return 0;
}
