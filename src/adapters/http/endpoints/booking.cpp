// POST /booking: a booking form in, a booking, a waitlist place or a refusal out.
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "adapters/http/booking_json.hpp"
#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/identity_check.hpp"
#include "adapters/http/request_id.hpp"
#include "adapters/http/responses.hpp"
#include "adapters/logging/log_fields.hpp"

namespace jkjav::http {

namespace beast = boost::beast;
using beast::http::field;
using beast::http::status;

namespace {

// The waiting room's admitted ticket, when the campaign has a queue.
constexpr std::string_view kQueueTicketHeader = "X-Queue-Ticket";

// Personal data stays out of logs: the id masked, and the location and date only once validated
// (a refused form's fields are the client's free text, which could hold anything).
void logBooking(const Request& request, const domain::BookingForm& form, const app::BookingOutcome& outcome) {
    // At the default level nothing is written, so nothing is masked or looked up either.
    if (!spdlog::should_log(spdlog::level::debug)) return;
    const logging::LogField requestId{logging::kRequestIdKey, request[kRequestIdHeader]};
    const std::string maskedId = domain::maskPersonal(form.mysejahteraId);
    if (const auto* refused = std::get_if<app::BookingRefused>(&outcome)) {
        logging::logWith({requestId}, spdlog::level::debug, "booking {}: {}", maskedId,
                         domain::spellingOf(refused->outcome).code);
    } else if (const auto* waitlisted = std::get_if<app::BookingWaitlisted>(&outcome)) {
        logging::logWith({requestId}, spdlog::level::debug, "booking {} {} {}: waitlisted at {}", maskedId,
                         waitlisted->location, waitlisted->date, waitlisted->position);
    } else {
        const auto& booking = std::get<app::BookingConfirmed>(outcome).booking;
        logging::logWith({requestId}, spdlog::level::debug, "booking {} {} {}: OK", maskedId,
                         booking.location, booking.date);
    }
}

// The answer, built outside the coroutine: its responses would otherwise each take a slot in the
// coroutine's frame, pushing it past the 1 KiB that Asio recycles.
Response responseFor(const Request& request, const app::BookingOutcome& outcome) {
    if (const auto* refused = std::get_if<app::BookingRefused>(&outcome)) {
        Response response = errorWith(request, refused->outcome, refused->message, refused->errors);
        response.set(field::cache_control, "no-store");
        return response;
    }
    if (const auto* waitlisted = std::get_if<app::BookingWaitlisted>(&outcome)) {
        Response response =
            jsonResponse(request.version(), status::accepted,
                         waitlistedJson(waitlisted->location, waitlisted->date, waitlisted->position));
        response.set(field::cache_control, "no-store");
        return response;
    }
    const auto& confirmed = std::get<app::BookingConfirmed>(outcome);
    Response response = jsonResponse(request.version(), status::ok, bookingJson(confirmed.booking));
    response.set(field::cache_control, "no-store");
    return response;
}

}  // namespace

boost::asio::awaitable<Response> answerBooking(Endpoints& endpoints, const RouteRequest& route) {
    const Request& request = route.request;
    if (!isJsonContentType(request[field::content_type])) {
        co_return errorWith(request, HttpRefusal::kUnsupportedMediaType,
                            "Send the booking as application/json.");
    }
    auto parsed = parseBookingForm(request.body());
    if (auto* malformed = std::get_if<MalformedJson>(&parsed)) {
        co_return errorWith(request, HttpRefusal::kMalformedJson, malformed->message);
    }
    const auto& form = std::get<domain::BookingForm>(parsed);
    if (auto refused = refuseUnidentified(endpoints.identity, request, form.mysejahteraId))
        co_return *refused;
    std::optional<std::string_view> queueTicket;
    if (const auto header = request.find(kQueueTicketHeader); header != request.end())
        queueTicket = header->value();
    const app::BookingOutcome outcome = co_await endpoints.bookings.book(form, queueTicket);
    if (spdlog::should_log(spdlog::level::debug)) logBooking(request, form, outcome);
    co_return responseFor(request, outcome);
}

}  // namespace jkjav::http
