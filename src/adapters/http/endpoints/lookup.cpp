// GET and DELETE /booking/{mysejahteraId}?phoneNumber=: a person's own booking, found or cancelled.
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "adapters/http/booking_json.hpp"
#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/endpoints/person_lookup.hpp"
#include "adapters/http/request_id.hpp"
#include "adapters/http/responses.hpp"
#include "adapters/logging/log_fields.hpp"

namespace jkjav::http {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

boost::asio::awaitable<Response> answerLookup(Endpoints& endpoints, const RouteRequest& route) {
    const Request& request = route.request;
    // The phone number proves it is the person's own booking.
    const auto [personId, phoneNumber] = personLookupOf(route);
    const bool cancelling = request.method() == verb::delete_;
    // Not `cancelling ? co_await a : co_await b`: GCC 12 miscompiles co_await inside ?: (double free).
    app::LookupOutcome outcome;
    if (cancelling) {
        outcome = co_await endpoints.lookups.cancel(personId, phoneNumber);
    } else {
        outcome = co_await endpoints.lookups.find(personId, phoneNumber);
    }
    if (const auto* refused = std::get_if<app::BookingRefused>(&outcome)) {
        co_return errorWith(request, refused->outcome, refused->message, refused->errors);
    }
    const auto& found = std::get<app::BookingFound>(outcome);
    if (cancelling && spdlog::should_log(spdlog::level::debug)) {
        logging::logWith(
            {{logging::kRequestIdKey, request[kRequestIdHeader]}}, spdlog::level::debug,
            "cancelled {} {} {}; slot to {}", domain::maskPersonal(found.booking.mysejahteraId),
            found.booking.location, found.booking.date,
            found.promotedPersonId.empty() ? "the counter" : domain::maskPersonal(found.promotedPersonId));
    }
    Response response = jsonResponse(request.version(), status::ok, bookingJson(found.booking));
    response.set(field::cache_control, "no-store");
    co_return response;
}

}  // namespace jkjav::http
