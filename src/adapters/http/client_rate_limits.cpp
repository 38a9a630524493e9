#include "adapters/http/client_rate_limits.hpp"

#include <chrono>

namespace jkjav::http {

std::optional<long long> ClientRateLimits::refuse(app::RateLimiter& limiter, const Request& request,
                                                  const boost::asio::ip::address& peer) {
    if (!limiter.enabled()) return std::nullopt;
    std::vector<std::string_view> forwardedFor;
    if (!trusted_.empty()) {
        for (auto [it, end] = request.equal_range("X-Forwarded-For"); it != end; ++it)
            forwardedFor.push_back(it->value());
    }
    const auto client = clientAddress(peer, forwardedFor, trusted_);
    const app::Admission admission = limiter.admit(clientKey(client), std::chrono::steady_clock::now());
    if (admission.allowed) return std::nullopt;
    return admission.retryAfterSeconds;
}

}  // namespace jkjav::http
