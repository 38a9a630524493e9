// The per-client-IP limits on bookings and on lookups/cancels, shared by every worker thread.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>

#include "adapters/http/client_address.hpp"
#include "adapters/http/http_types.hpp"
#include "app/rate_limiter.hpp"

namespace jkjav::http {

struct RateLimitSettings {
    double bookingsPerSecond = 0;  // 0: off
    double lookupsPerSecond = 0;   // 0: off
};

class ClientRateLimits {
  public:
    ClientRateLimits(TrustedProxies trusted, RateLimitSettings settings)
        : trusted_(std::move(trusted)),
          bookings_(settings.bookingsPerSecond),
          lookups_(settings.lookupsPerSecond) {}

    [[nodiscard]] const TrustedProxies& trustedProxies() const { return trusted_; }

    // nullopt: go ahead; else the Retry-After in seconds. Thread-safe.
    std::optional<long long> refuseBooking(const Request& request, const boost::asio::ip::address& peer) {
        return refuse(bookings_, request, peer);
    }
    std::optional<long long> refuseLookup(const Request& request, const boost::asio::ip::address& peer) {
        return refuse(lookups_, request, peer);
    }

  private:
    std::optional<long long> refuse(app::RateLimiter& limiter, const Request& request,
                                    const boost::asio::ip::address& peer);

    TrustedProxies trusted_;
    app::RateLimiter bookings_;
    app::RateLimiter lookups_;
};

}  // namespace jkjav::http
