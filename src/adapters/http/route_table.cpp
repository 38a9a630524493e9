#include "adapters/http/route_table.hpp"

namespace jkjav::http {

using boost::beast::http::verb;

bool Route::allows(verb method) const {
    switch (method) {
        case verb::get:
        case verb::head:
            return (methods & kGet) != 0;
        case verb::post:
            return (methods & kPost) != 0;
        case verb::delete_:
            return (methods & kDelete) != 0;
        default:
            return false;
    }
}

RouteMatch matchRoute(std::span<const Route> routes, std::string_view target) {
    RouteMatch match;
    match.path = target.substr(0, target.find('?'));
    for (const Route& route : routes) {
        if (!route.matches(match.path)) continue;
        match.route = &route;
        match.param = route.paramOf(match.path);
        break;
    }
    return match;
}

std::string allowHeader(std::uint8_t methods) {
    std::string allow;
    const auto add = [&allow](std::string_view name) {
        if (!allow.empty()) allow += ", ";
        allow += name;
    };
    if ((methods & kGet) != 0) {
        add("GET");
        add("HEAD");
    }
    if ((methods & kPost) != 0) add("POST");
    if ((methods & kDelete) != 0) add("DELETE");
    return allow;
}

}  // namespace jkjav::http
