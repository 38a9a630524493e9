// Every endpoint of the API: its path pattern, its methods and the handler that answers it. The
// one place to look for "where is POST /booking?"; 404, 405 and `Allow` follow from this table.
#include "adapters/http/api_routes.hpp"

#include "adapters/http/endpoints/endpoints.hpp"

namespace jkjav::http {
namespace {

// Availability first: the fast path matches its routes with the fewest comparisons.
constexpr Route kApiRoutes[] = {
    {"/stations/{location}", kGet, answerStation, stationFromSnapshot},
    {"/locations", kGet, answerLocations, locationsFromSnapshot},
    {"/booking", kPost, answerBooking},
    {"/booking/{mysejahteraId}", kGet | kDelete, answerLookup},
    {"/healthz", kGet, answerHealth},
    {"/readyz", kGet, answerReadiness},
    {"/openapi.json", kGet, answerOpenApi},
};

}  // namespace

std::span<const Route> apiRoutes() { return kApiRoutes; }

}  // namespace jkjav::http
