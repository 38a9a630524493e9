// Routes as data: {path pattern, methods, handler}, declared once in api_routes.cpp. A path no route
// has answers 404, a method its route lacks 405 with the route's `Allow`, and the matched pattern
// names the request (e.g. the `route` label of metrics).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "adapters/http/http_types.hpp"

namespace jkjav::http {

class AvailabilitySnapshot;
class StaticSite;
struct PreparedBody;
struct Endpoints;

// Methods as flags; GET includes HEAD, which is answered like GET without the body.
enum Method : std::uint8_t { kGet = 1, kPost = 2, kDelete = 4 };

// Which per-client limit a route counts against (ClientRateLimits), after its method is allowed.
enum class RateLimit : std::uint8_t { kNone, kBookings, kLookups };

// The request as a route handler sees it.
struct RouteRequest {
    const Request& request;
    const boost::asio::ip::address& peer;  // the TCP peer, for the per-client rate limits
    std::string_view param;                // what the pattern's {name} matched, escapes as sent
};

using RouteHandler = boost::asio::awaitable<Response> (*)(Endpoints& endpoints, const RouteRequest& request);
// The prepared answer of a GET the snapshot can give; nullptr: let the handler answer.
using SnapshotAnswer = const PreparedBody* (*)(const AvailabilitySnapshot& snapshot, std::string_view param);
// The prepared answer of a GET of the built page and its assets (StaticSite); nullptr: let the
// handler answer (404).
using SiteAnswer = const PreparedBody* (*)(const StaticSite& site, const Request& request,
                                           std::string_view path);

struct Route {
    // "/booking" matches itself only; "/booking/{mysejahteraId}": a trailing {name} takes the rest
    // of the path, empty or with slashes, and the handler judges it.
    constexpr Route(std::string_view pattern, std::uint8_t methods, RateLimit rateLimit, RouteHandler handler,
                    SnapshotAnswer fromSnapshot = nullptr, SiteAnswer fromSite = nullptr)
        : pattern(pattern),
          methods(methods),
          rateLimit(rateLimit),
          handler(handler),
          fromSnapshot(fromSnapshot),
          fromSite(fromSite),
          literal_(pattern.substr(0, pattern.find('{'))),
          hasParam_(pattern.find('{') != std::string_view::npos) {}

    [[nodiscard]] constexpr bool matches(std::string_view path) const {
        return hasParam_ ? path.starts_with(literal_) : path == literal_;
    }
    [[nodiscard]] constexpr std::string_view paramOf(std::string_view path) const {
        return hasParam_ ? path.substr(literal_.size()) : std::string_view();
    }
    [[nodiscard]] bool allows(boost::beast::http::verb method) const;

    std::string_view pattern;
    std::uint8_t methods;
    RateLimit rateLimit;
    RouteHandler handler;
    SnapshotAnswer fromSnapshot;
    SiteAnswer fromSite;

  private:
    std::string_view literal_;  // the pattern before {name}
    bool hasParam_;
};

struct RouteMatch {
    const Route* route = nullptr;  // nullptr: no route has this path
    std::string_view path;         // the target without its query
    std::string_view param;
    // The route's pattern: what names this request in logs and metrics ("" when unmatched).
    [[nodiscard]] std::string_view pattern() const {
        return route == nullptr ? std::string_view() : route->pattern;
    }
};

// The first route whose pattern matches the target's path (the query is ignored).
RouteMatch matchRoute(std::span<const Route> routes, std::string_view target);

// The `Allow` header of a 405: "GET, HEAD", "POST", "GET, HEAD, DELETE"...
std::string allowHeader(std::uint8_t methods);

}  // namespace jkjav::http
