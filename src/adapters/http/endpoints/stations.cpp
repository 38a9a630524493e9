// GET /stations/{location}: one location's dates and what is left of each.
#include "adapters/http/availability_snapshot.hpp"
#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/responses.hpp"

namespace jkjav::http {

using domain::Outcome;

const PreparedBody* stationFromSnapshot(const AvailabilitySnapshot& snapshot, std::string_view location) {
    return snapshot.station(location);
}

// Successful answers come from the snapshot (ApiHandler::answerFromSnapshot, asked first); this
// answers what it could not: a location the campaign lacks, or no snapshot yet.
boost::asio::awaitable<Response> answerStation(Endpoints& endpoints, const RouteRequest& route) {
    const std::string_view location = route.param;
    if (endpoints.campaign.findLocation(location) == nullptr) {
        co_return errorWith(route.request, Outcome::kUnknownLocation,
                            "The campaign has no location '" + printableInput(location) + "'.");
    }
    co_return errorWith(route.request, Outcome::kStoreUnavailable, "Availability is not known yet.");
}

}  // namespace jkjav::http
