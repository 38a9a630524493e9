// Every endpoint of the API: its path pattern, its methods and the handler that answers it. The
// one place to look for "where is POST /booking?"; 404, 405, `Allow` and which per-client rate
// limit applies follow from this table.
#include "adapters/http/api_routes.hpp"

#include "adapters/http/endpoints/endpoints.hpp"

namespace jkjav::http {
namespace {

// Availability first: the fast path matches its routes with the fewest comparisons.
constexpr Route kApiRoutes[] = {
    {"/stations/{location}", kGet, RateLimit::kNone, answerStation, stationFromSnapshot},
    {"/locations", kGet, RateLimit::kNone, answerLocations, locationsFromSnapshot},
    {"/booking", kPost, RateLimit::kBookings, answerBooking},
    {"/booking/{mysejahteraId}", kGet | kDelete, RateLimit::kLookups, answerLookup},
    {"/waitlist/{mysejahteraId}", kGet | kDelete, RateLimit::kLookups, answerWaitlist},
    // The waiting room (404 when the campaign has none). Joining counts against the booking limit.
    {"/queue", kPost, RateLimit::kBookings, answerQueueJoin},
    {"/queue/{ticket}", kGet, RateLimit::kNone, answerQueueStatus},
    {"/healthz", kGet, RateLimit::kNone, answerHealth},
    {"/readyz", kGet, RateLimit::kNone, answerReadiness},
    // Not rate limited, and answered whether or not the server is ready: an outage is when it matters.
    {"/metrics", kGet, RateLimit::kNone, answerMetrics},
    {"/openapi.json", kGet, RateLimit::kNone, answerOpenApi},
    // The booking page, the API docs and their assets, from memory (StaticSite).
    {"/", kGet, RateLimit::kNone, answerSiteMiss, nullptr, siteFile},
    {"/docs", kGet, RateLimit::kNone, answerSiteMiss, nullptr, siteFile},
    {"/assets/{file}", kGet, RateLimit::kNone, answerSiteMiss, nullptr, siteFile},
};

}  // namespace

std::span<const Route> apiRoutes() { return kApiRoutes; }

std::vector<std::string> routeLabels() {
    std::vector<std::string> labels;
    for (const Route& route : kApiRoutes) labels.emplace_back(route.pattern);
    labels.emplace_back("unmatched");
    return labels;
}

}  // namespace jkjav::http
