// GET /locations: every location of the campaign with its dates, and the states.
#include "adapters/http/availability_snapshot.hpp"
#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/responses.hpp"

namespace jkjav::http {

const PreparedBody* locationsFromSnapshot(const AvailabilitySnapshot& snapshot, std::string_view) {
    return &snapshot.locations();
}

// The snapshot answers whenever it exists; without one there is nothing to tell yet.
boost::asio::awaitable<Response> answerLocations(Endpoints&, const RouteRequest& route) {
    co_return errorWith(route.request, domain::Outcome::kStoreUnavailable, "Availability is not known yet.");
}

}  // namespace jkjav::http
