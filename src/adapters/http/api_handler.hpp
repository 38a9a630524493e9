// The API as one function from request to response: routes a request by the table in
// api_routes.cpp to its endpoint (endpoints/) and answers availability from the snapshot; never throws.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "adapters/http/availability_snapshot.hpp"
#include "adapters/http/client_rate_limits.hpp"
#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/http_types.hpp"
#include "adapters/http/route_table.hpp"
#include "adapters/http/service_health.hpp"
#include "adapters/http/static_site.hpp"
#include "app/booking_service.hpp"
#include "app/lookup_guard.hpp"
#include "app/ports/identity_verifier.hpp"
#include "domain/campaign.hpp"

namespace jkjav::http {

// An availability answer straight from the snapshot's prepared bytes: no response object is built.
struct PreparedReply {
    // Keeps the bytes alive while they are written; null for the static site, which lives as long
    // as the server.
    std::shared_ptr<const AvailabilitySnapshot> snapshot;
    const PreparedBody* prepared = nullptr;
    bool notModified = false;
    long long staleSeconds = -1;  // how old the figures are, when Redis is away; -1: fresh
};

class ApiHandler {
  public:
    // `metrics`: what GET /metrics answers; nullptr (tools, tests): an empty exposition.
    ApiHandler(const domain::Campaign& campaign, app::BookingService& bookings, app::LookupGuard& lookups,
               ClientRateLimits& rateLimits, const SnapshotSlot& snapshots, const ServiceHealth& health,
               std::chrono::milliseconds staleAfter, const StaticSite& site = StaticSite::empty(),
               const metrics::MetricsExposition* metrics = nullptr,
               const app::IdentityVerifier& identity = app::NoIdentityCheck::instance(),
               app::QueueService* queue = nullptr);

    // The route of a request (its pattern names the request in logs and metrics). Match once and
    // pass the match to both calls below; the overloads without it match for themselves.
    [[nodiscard]] RouteMatch route(const Request& request) const;
    // The route's position in the table (routeLabels()' order); unmatched: the last index.
    [[nodiscard]] std::size_t routeIndex(const RouteMatch& route) const {
        return route.route == nullptr ? routes_.size()
                                      : static_cast<std::size_t>(route.route - routes_.data());
    }

    // Everything answerFromSnapshot() did not answer: ask that first. `peer`: the TCP peer's
    // address, for the per-client rate limits.
    boost::asio::awaitable<Response> handle(const Request& request, const boost::asio::ip::address& peer);
    boost::asio::awaitable<Response> handle(const Request& request, const boost::asio::ip::address& peer,
                                            const RouteMatch& route);

    // The hot path: GET/HEAD of /stations/{location} or /locations when the snapshot has the
    // answer, or of the page and its assets when the site has them. nullopt: anything else,
    // including their errors, which handle() answers.
    [[nodiscard]] std::optional<PreparedReply> answerFromSnapshot(const Request& request) const;
    [[nodiscard]] std::optional<PreparedReply> answerFromSnapshot(const Request& request,
                                                                  const RouteMatch& route) const;

    // TRUSTED_PROXIES: whose X-Forwarded-For and X-Request-Id are believed.
    [[nodiscard]] const TrustedProxies& trustedProxies() const { return rateLimits_.trustedProxies(); }

    // For failures found before a request could be routed (bad framing, too large).
    static Response errorResponse(unsigned version, HttpRefusal code, std::string_view message);

  private:
    Endpoints endpoints_;
    ClientRateLimits& rateLimits_;  // applied as each route's table line says
    std::span<const Route> routes_;
    const SnapshotSlot& snapshots_;
    std::chrono::milliseconds staleAfter_;
    const StaticSite& site_;
};

}  // namespace jkjav::http
