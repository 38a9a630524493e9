// Routes a request to its handler and turns every outcome into a response; never throws.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "adapters/http/availability_snapshot.hpp"
#include "adapters/http/client_rate_limits.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/http_types.hpp"
#include "adapters/http/service_health.hpp"
#include "app/booking_service.hpp"
#include "app/lookup_guard.hpp"
#include "domain/campaign.hpp"

namespace jkjav::http {

// An availability answer straight from the snapshot's prepared bytes: no response object is built.
struct PreparedReply {
    std::shared_ptr<const AvailabilitySnapshot> snapshot;  // keeps the bytes alive while they are written
    const PreparedBody* prepared = nullptr;
    bool notModified = false;
    long long staleSeconds = -1;  // how old the figures are, when Redis is away; -1: fresh
};

class ApiHandler {
  public:
    ApiHandler(const domain::Campaign& campaign, app::BookingService& bookings, app::LookupGuard& lookups,
               ClientRateLimits& rateLimits, const SnapshotSlot& snapshots, const ServiceHealth& health,
               std::chrono::milliseconds staleAfter)
        : campaign_(campaign),
          bookings_(bookings),
          lookups_(lookups),
          rateLimits_(rateLimits),
          snapshots_(snapshots),
          health_(health),
          staleAfter_(staleAfter) {}

    // Everything answerFromSnapshot() did not answer: ask that first. `peer`: the TCP peer's
    // address, for the per-client rate limits.
    boost::asio::awaitable<Response> handle(const Request& request, const boost::asio::ip::address& peer);

    // The hot path: GET/HEAD of /stations/{location} or /locations when the snapshot has the
    // answer. nullopt: anything else, including their errors, which handle() answers.
    [[nodiscard]] std::optional<PreparedReply> answerFromSnapshot(const Request& request) const;

    // For failures found before a request could be routed (bad framing, too large).
    static Response errorResponse(unsigned version, HttpRefusal code, std::string_view message);

  private:
    Response stations(const Request& request, std::string_view location) const;
    Response locations(const Request& request) const;
    boost::asio::awaitable<Response> book(const Request& request);
    boost::asio::awaitable<Response> findOrCancel(const Request& request, std::string_view rawPersonId);
    Response readiness(const Request& request) const;
    const domain::Campaign& campaign_;
    app::BookingService& bookings_;
    app::LookupGuard& lookups_;
    ClientRateLimits& rateLimits_;
    const SnapshotSlot& snapshots_;
    const ServiceHealth& health_;
    std::chrono::milliseconds staleAfter_;
};

}  // namespace jkjav::http
