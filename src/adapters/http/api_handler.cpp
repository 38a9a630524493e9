#include "adapters/http/api_handler.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <string>

#include "adapters/http/api_routes.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/responses.hpp"
#include "domain/person_id.hpp"

namespace jkjav::http {

using boost::beast::http::field;
using boost::beast::http::verb;

namespace {

// If-None-Match holds "*" or a list of tags, possibly weak (W/"..."), as CDNs rewrite them.
bool matchesAnyTag(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view tag = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
        while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

}  // namespace

ApiHandler::ApiHandler(const domain::Campaign& campaign, app::BookingService& bookings,
                       app::LookupGuard& lookups, ClientRateLimits& rateLimits, const SnapshotSlot& snapshots,
                       const ServiceHealth& health, std::chrono::milliseconds staleAfter,
                       const StaticSite& site, const metrics::MetricsExposition* metrics,
                       const app::IdentityVerifier& identity, app::QueueService* queue)
    : endpoints_{campaign, bookings, lookups, health, metrics, identity, queue},
      rateLimits_(rateLimits),
      routes_(apiRoutes()),
      snapshots_(snapshots),
      staleAfter_(staleAfter),
      site_(site) {}

Response ApiHandler::errorResponse(unsigned version, HttpRefusal code, std::string_view message) {
    Response response = jsonResponse(version, statusFor(code), errorBody(code, message));
    response.set(field::cache_control, "no-store");
    return response;
}

RouteMatch ApiHandler::route(const Request& request) const { return matchRoute(routes_, request.target()); }

boost::asio::awaitable<Response> ApiHandler::handle(const Request& request,
                                                    const boost::asio::ip::address& peer) {
    co_return co_await handle(request, peer, route(request));
}

boost::asio::awaitable<Response> ApiHandler::handle(const Request& request,
                                                    const boost::asio::ip::address& peer,
                                                    const RouteMatch& route) {
    if (route.route == nullptr) {
        co_return errorWith(
            request, HttpRefusal::kNoSuchEndpoint,
            // The path is echoed to help a client see its typo, with any id or phone in it masked.
            "No such endpoint: " + domain::maskPersonalInText(printableInput(route.path)) + ".");
    }
    if (!route.route->allows(request.method())) {
        co_return methodNotAllowed(request, allowHeader(route.route->methods));
    }
    std::optional<long long> wait;
    if (route.route->rateLimit == RateLimit::kBookings) wait = rateLimits_.refuseBooking(request, peer);
    if (route.route->rateLimit == RateLimit::kLookups) wait = rateLimits_.refuseLookup(request, peer);
    if (wait) co_return tooManyRequests(request, *wait);
    co_return co_await route.route->handler(endpoints_, RouteRequest{request, peer, route.param});
}

std::optional<PreparedReply> ApiHandler::answerFromSnapshot(const Request& request) const {
    return answerFromSnapshot(request, route(request));
}

std::optional<PreparedReply> ApiHandler::answerFromSnapshot(const Request& request,
                                                            const RouteMatch& route) const {
    if (request.method() != verb::get && request.method() != verb::head) return std::nullopt;
    if (route.route == nullptr) return std::nullopt;
    if (route.route->fromSite != nullptr) {
        const PreparedBody* file = route.route->fromSite(site_, request, route.path);
        if (file == nullptr) return std::nullopt;
        const auto ifNoneMatch = request.find(field::if_none_match);
        return PreparedReply{nullptr, file,
                             ifNoneMatch != request.end() && matchesAnyTag(ifNoneMatch->value(), file->etag),
                             -1};
    }
    if (route.route->fromSnapshot == nullptr) return std::nullopt;
    const auto& snapshot = snapshots_.shared();
    if (!snapshot) return std::nullopt;
    const PreparedBody* prepared = route.route->fromSnapshot(*snapshot, route.param);
    if (prepared == nullptr) return std::nullopt;

    PreparedReply reply{snapshot, prepared, false, -1};
    const auto ifNoneMatch = request.find(field::if_none_match);
    reply.notModified = ifNoneMatch != request.end() && matchesAnyTag(ifNoneMatch->value(), prepared->etag);
    const auto age = std::chrono::steady_clock::now() - snapshot->takenAt();
    if (age > staleAfter_) reply.staleSeconds = std::chrono::duration_cast<std::chrono::seconds>(age).count();
    return reply;
}

}  // namespace jkjav::http
