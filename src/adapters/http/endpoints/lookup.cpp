// GET and DELETE /booking/{mysejahteraId}?phoneNumber=: a person's own booking, found or cancelled.
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>

#include "adapters/http/booking_json.hpp"
#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/request_id.hpp"
#include "adapters/http/responses.hpp"
#include "adapters/logging/log_fields.hpp"

namespace jkjav::http {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

boost::asio::awaitable<Response> answerLookup(Endpoints& endpoints, const RouteRequest& route) {
    const Request& request = route.request;
    const std::string_view rawPersonId = route.param;
    // The id as a client may have escaped it (%2D for '-'); an invalid escape is left for
    // validation to refuse.
    std::string personId(rawPersonId);
    if (auto escaped = boost::urls::make_pct_string_view(rawPersonId)) personId = escaped->decode();
    // The phone number proves it is the person's own booking; '+' in it is taken literally.
    std::string phoneNumber;
    if (auto target = boost::urls::parse_origin_form(request.target())) {
        const auto params = target->params(boost::urls::encoding_opts(false, false, false));
        if (auto it = params.find("phoneNumber"); it != params.end() && (*it).has_value)
            phoneNumber = (*it).value;
    }
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
