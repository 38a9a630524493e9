// GET and DELETE /waitlist/{mysejahteraId}?phoneNumber=: a waiting person's place in their slot's
// queue, seen or given up. Proven as a booking lookup is (the phone number, the same lock and
// rate limit) and, with an identity provider, by the person's bearer token.
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/endpoints/person_lookup.hpp"
#include "adapters/http/identity_check.hpp"
#include "adapters/http/request_id.hpp"
#include "adapters/http/responses.hpp"
#include "adapters/logging/log_fields.hpp"
#include "domain/person_id.hpp"

namespace jkjav::http {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

namespace {

std::string placeJson(const app::WaitlistPlace& place) {
    boost::json::object object{
        {"location", place.location},
        {"date", place.date},
        {"position", place.position},
    };
    if (!place.joinedAt.empty()) object["joinedAt"] = place.joinedAt;
    return boost::json::serialize(object);
}

}  // namespace

boost::asio::awaitable<Response> answerWaitlist(Endpoints& endpoints, const RouteRequest& route) {
    const Request& request = route.request;
    const auto [personId, phoneNumber] = personLookupOf(route);
    // Before the phone number is looked at: someone else's token must not count toward the lock.
    if (auto refused = refuseUnidentified(endpoints.identity, request, personId)) co_return *refused;
    const bool leaving = request.method() == verb::delete_;
    // Not `leaving ? co_await a : co_await b`: GCC 12 miscompiles co_await inside ?: (double free).
    app::WaitlistOutcome outcome;
    if (leaving) {
        outcome = co_await endpoints.lookups.leaveWaitlist(personId, phoneNumber);
    } else {
        outcome = co_await endpoints.lookups.findWaitlistPlace(personId, phoneNumber);
    }
    if (const auto* refused = std::get_if<app::BookingRefused>(&outcome)) {
        co_return errorWith(request, refused->outcome, refused->message, refused->errors);
    }
    const auto& place = std::get<app::WaitlistPlace>(outcome);
    if (leaving && spdlog::should_log(spdlog::level::debug)) {
        logging::logWith({{logging::kRequestIdKey, request[kRequestIdHeader]}}, spdlog::level::debug,
                         "left the waitlist: {} {} {} at {}", domain::maskPersonal(personId), place.location,
                         place.date, place.position);
    }
    Response response = jsonResponse(request.version(), status::ok, placeJson(place));
    response.set(field::cache_control, "no-store");
    co_return response;
}

}  // namespace jkjav::http
