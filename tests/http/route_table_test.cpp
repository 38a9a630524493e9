// The route table: which pattern a path matches, what it captures, and the Allow each route gives.
#include "adapters/http/route_table.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <set>

#include "adapters/http/api_routes.hpp"
#include "adapters/http/wire_bytes.hpp"

namespace jkjav::http {
namespace {

struct MatchCase {
    std::string name;
    std::string target;
    std::string pattern;  // "" : no route
    std::string param;
};

void PrintTo(const MatchCase& c, std::ostream* out) { *out << c.target << " -> " << c.pattern; }

class ApiRoutes : public ::testing::TestWithParam<MatchCase> {};

TEST_P(ApiRoutes, MatchThePathNotTheQuery) {
    const RouteMatch match = matchRoute(apiRoutes(), GetParam().target);
    EXPECT_EQ(match.pattern(), GetParam().pattern);
    EXPECT_EQ(match.param, GetParam().param);
}

INSTANTIATE_TEST_SUITE_P(
    Paths, ApiRoutes,
    ::testing::Values(
        MatchCase{"Station", "/stations/PWTC", "/stations/{location}", "PWTC"},
        MatchCase{"StationWithQuery", "/stations/PWTC?a=b", "/stations/{location}", "PWTC"},
        MatchCase{"StationEmpty", "/stations/", "/stations/{location}", ""},
        MatchCase{"StationNested", "/stations/a/b", "/stations/{location}", "a/b"},
        MatchCase{"StationsBare", "/stations", "", ""},
        MatchCase{"Locations", "/locations?x", "/locations", ""},
        MatchCase{"LocationsSlash", "/locations/", "", ""}, MatchCase{"Booking", "/booking", "/booking", ""},
        MatchCase{"Lookup", "/booking/900127%2D01?phoneNumber=1", "/booking/{mysejahteraId}", "900127%2D01"},
        MatchCase{"Healthz", "/healthz", "/healthz", ""}, MatchCase{"Readyz", "/readyz", "/readyz", ""},
        MatchCase{"OpenApi", "/openapi.json", "/openapi.json", ""},
        MatchCase{"CaseMatters", "/Booking", "", ""}, MatchCase{"Root", "/", "/", ""},
        MatchCase{"RootWithQuery", "/?lang=en", "/", ""}, MatchCase{"IndexHtml", "/index.html", "", ""},
        MatchCase{"Docs", "/docs", "/docs", ""}, MatchCase{"DocsSlash", "/docs/", "", ""},
        MatchCase{"Asset", "/assets/app.0123456789ab.js", "/assets/{file}", "app.0123456789ab.js"},
        MatchCase{"Empty", "", "", ""}),
    [](const auto& info) { return info.param.name; });

TEST(ApiRouteTable, EveryPatternOnceWithAHandler) {
    std::set<std::string_view> patterns;
    for (const Route& route : apiRoutes()) {
        EXPECT_TRUE(patterns.insert(route.pattern).second) << route.pattern;
        EXPECT_NE(route.handler, nullptr) << route.pattern;
        EXPECT_NE(route.methods, 0) << route.pattern;
    }
}

TEST(ApiRouteTable, OnlyAvailabilityHasASnapshotAnswer) {
    for (const Route& route : apiRoutes()) {
        const bool availability = route.pattern == "/stations/{location}" || route.pattern == "/locations";
        EXPECT_EQ(route.fromSnapshot != nullptr, availability) << route.pattern;
    }
}

TEST(ApiRouteTable, OnlyThePageDocsAndAssetsHaveASiteAnswer) {
    for (const Route& route : apiRoutes()) {
        const bool site =
            route.pattern == "/" || route.pattern == "/docs" || route.pattern == "/assets/{file}";
        EXPECT_EQ(route.fromSite != nullptr, site) << route.pattern;
        if (site) EXPECT_EQ(route.methods, kGet) << route.pattern;
    }
}

TEST(ApiRouteTable, BookingsAndLookupsCountAgainstTheirOwnLimit) {
    for (const Route& route : apiRoutes()) {
        // Joining the waiting room is a write per person, like a booking.
        const bool lookup =
            route.pattern == "/booking/{mysejahteraId}" || route.pattern == "/waitlist/{mysejahteraId}";
        const RateLimit expected = route.pattern == "/booking" || route.pattern == "/queue"
                                       ? RateLimit::kBookings
                                   : lookup ? RateLimit::kLookups
                                            : RateLimit::kNone;
        EXPECT_EQ(route.rateLimit, expected) << route.pattern;
    }
}

TEST(ApiRouteTable, AllowListsHeadWithGet) {
    EXPECT_EQ(allowHeader(kGet), "GET, HEAD");
    EXPECT_EQ(allowHeader(kPost), "POST");
    EXPECT_EQ(allowHeader(kGet | kDelete), "GET, HEAD, DELETE");
    EXPECT_EQ(allowHeader(kGet | kPost | kDelete), "GET, HEAD, POST, DELETE");
}

TEST(ApiRouteTable, AllowsTheRoutesMethodsOnly) {
    const Route route("/x", kGet | kDelete, RateLimit::kNone, nullptr);
    using boost::beast::http::verb;
    EXPECT_TRUE(route.allows(verb::get));
    EXPECT_TRUE(route.allows(verb::head));
    EXPECT_TRUE(route.allows(verb::delete_));
    EXPECT_FALSE(route.allows(verb::post));
    EXPECT_FALSE(route.allows(verb::put));
    EXPECT_FALSE(route.allows(verb::options));
}

TEST(WireBytes, ServerBusyIsA503ThatClosesAndSaysWhenToRetry) {
    EXPECT_EQ(wire::serverBusyReply("{}"),
              "HTTP/1.1 503 Service Unavailable\r\nServer: jkjav\r\nContent-Type: application/json\r\n"
              "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nRetry-After: 1\r\n"
              "Connection: close\r\nContent-Length: 2\r\n\r\n{}");
}

}  // namespace
}  // namespace jkjav::http
