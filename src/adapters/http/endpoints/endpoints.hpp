// The endpoints' handlers, one file per group in this folder; api_routes.cpp says which path and
// methods reach each.
#pragma once

#include <string_view>

#include "adapters/http/route_table.hpp"
#include "adapters/http/service_health.hpp"
#include "adapters/metrics/metrics_exposition.hpp"
#include "app/booking_service.hpp"
#include "app/lookup_guard.hpp"
#include "app/ports/identity_verifier.hpp"
#include "app/queue_service.hpp"
#include "domain/campaign.hpp"

namespace jkjav::http {

// What the endpoints work with, wired once by ApiHandler's constructor.
struct Endpoints {
    const domain::Campaign& campaign;
    app::BookingService& bookings;
    app::LookupGuard& lookups;
    const ServiceHealth& health;
    const metrics::MetricsExposition* metrics;  // nullptr: GET /metrics answers an empty exposition
    // Who may act for a person: POST /booking and the waitlist ask it (NoIdentityCheck: anyone).
    const app::IdentityVerifier& identity;
    app::QueueService* queue = nullptr;  // the waiting room; null when the campaign has none
};

// stations.cpp: GET /stations/{location}
const PreparedBody* stationFromSnapshot(const AvailabilitySnapshot& snapshot, std::string_view location);
boost::asio::awaitable<Response> answerStation(Endpoints& endpoints, const RouteRequest& request);

// locations.cpp: GET /locations
const PreparedBody* locationsFromSnapshot(const AvailabilitySnapshot& snapshot, std::string_view unused);
boost::asio::awaitable<Response> answerLocations(Endpoints& endpoints, const RouteRequest& request);

// booking.cpp: POST /booking
boost::asio::awaitable<Response> answerBooking(Endpoints& endpoints, const RouteRequest& request);

// queue.cpp: POST /queue, GET /queue/{ticket}
boost::asio::awaitable<Response> answerQueueJoin(Endpoints& endpoints, const RouteRequest& request);
boost::asio::awaitable<Response> answerQueueStatus(Endpoints& endpoints, const RouteRequest& request);

// lookup.cpp: GET and DELETE /booking/{mysejahteraId}
boost::asio::awaitable<Response> answerLookup(Endpoints& endpoints, const RouteRequest& request);

// waitlist.cpp: GET and DELETE /waitlist/{mysejahteraId}
boost::asio::awaitable<Response> answerWaitlist(Endpoints& endpoints, const RouteRequest& request);

// health.cpp: GET /healthz, /readyz
boost::asio::awaitable<Response> answerHealth(Endpoints& endpoints, const RouteRequest& request);
boost::asio::awaitable<Response> answerReadiness(Endpoints& endpoints, const RouteRequest& request);

// metrics.cpp: GET /metrics
boost::asio::awaitable<Response> answerMetrics(Endpoints& endpoints, const RouteRequest& request);
// site.cpp: GET /, /docs, /assets/{file}
const PreparedBody* siteFile(const StaticSite& site, const Request& request, std::string_view path);
boost::asio::awaitable<Response> answerSiteMiss(Endpoints& endpoints, const RouteRequest& request);

// openapi.cpp: GET /openapi.json
boost::asio::awaitable<Response> answerOpenApi(Endpoints& endpoints, const RouteRequest& request);

}  // namespace jkjav::http
