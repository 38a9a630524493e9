#include "adapters/http/api_handler.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <string>

#include "adapters/http/booking_json.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/http_date.hpp"

namespace jkjav::embedded {
extern const std::string_view kOpenApiJson;
}

namespace jkjav::http {

namespace beast = boost::beast;
using beast::http::field;
using beast::http::status;
using beast::http::verb;
using domain::Outcome;

namespace {

Response jsonResponse(unsigned version, status code, std::string body) {
    Response response{code, version};
    response.set(field::server, "jkjav");
    response.set(field::date, dateHeaderValue());
    response.set(field::content_type, "application/json");
    response.set("X-Content-Type-Options", "nosniff");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

// code: a domain::Outcome or an HttpRefusal.
template <class Code>
Response errorWith(const Request& request, Code code, std::string_view message,
                   const std::vector<domain::FieldError>& errors = {}) {
    const WireError wire = wireError(code);
    Response response = jsonResponse(request.version(), wire.status, errorBody(wire, message, errors));
    response.set(field::cache_control, "no-store");  // a CDN must not keep an error for everyone
    if (wire.retrySoon) response.set(field::retry_after, "1");
    return response;
}

Response tooManyRequests(const Request& request, long long retryAfterSeconds) {
    Response response = errorWith(
        request, HttpRefusal::kRateLimited,
        "Too many requests from this address; retry after " + std::to_string(retryAfterSeconds) + " s.");
    response.set(field::retry_after, std::to_string(retryAfterSeconds));
    return response;
}

Response methodNotAllowed(const Request& request, std::string_view allowed) {
    Response response = errorWith(request, HttpRefusal::kMethodNotAllowed,
                                  "Method " + std::string(request.method_string()) +
                                      " is not allowed here; use " + std::string(allowed) + ".");
    response.set(field::allow, allowed);
    return response;
}

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

bool isJsonContentType(std::string_view value) {
    const auto semicolon = value.find(';');
    std::string_view type = value.substr(0, semicolon);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    return beast::iequals(type, "application/json");
}

}  // namespace

Response ApiHandler::errorResponse(unsigned version, HttpRefusal code, std::string_view message) {
    Response response = jsonResponse(version, statusFor(code), errorBody(code, message));
    response.set(field::cache_control, "no-store");
    return response;
}

boost::asio::awaitable<Response> ApiHandler::handle(const Request& request,
                                                    const boost::asio::ip::address& peer) {
    std::string_view path = request.target();
    path = path.substr(0, path.find('?'));

    // HEAD is answered like GET; the session sends the headers only.
    const bool isGet = request.method() == verb::get || request.method() == verb::head;
    constexpr std::string_view kStationsPrefix = "/stations/";
    if (path.starts_with(kStationsPrefix)) {
        if (!isGet) co_return methodNotAllowed(request, "GET, HEAD");
        co_return stations(request, path.substr(kStationsPrefix.size()));
    }
    if (path == "/booking") {
        if (request.method() != verb::post) co_return methodNotAllowed(request, "POST");
        if (auto wait = rateLimits_.refuseBooking(request, peer)) co_return tooManyRequests(request, *wait);
        co_return co_await book(request);
    }
    constexpr std::string_view kBookingPrefix = "/booking/";
    if (path.starts_with(kBookingPrefix)) {
        if (!isGet && request.method() != verb::delete_)
            co_return methodNotAllowed(request, "GET, HEAD, DELETE");
        if (auto wait = rateLimits_.refuseLookup(request, peer)) co_return tooManyRequests(request, *wait);
        co_return co_await findOrCancel(request, path.substr(kBookingPrefix.size()));
    }
    if (path == "/locations" || path == "/healthz" || path == "/readyz" || path == "/openapi.json") {
        if (!isGet) co_return methodNotAllowed(request, "GET, HEAD");
        if (path == "/locations") co_return locations(request);
        if (path == "/readyz") co_return readiness(request);
        if (path == "/healthz") co_return jsonResponse(request.version(), status::ok, R"({"status":"OK"})");
        Response response = jsonResponse(request.version(), status::ok, std::string(embedded::kOpenApiJson));
        response.set(field::cache_control, "public, max-age=300");
        co_return response;
    }
    co_return errorWith(request, HttpRefusal::kNoSuchEndpoint,
                        "No such endpoint: " + printableInput(path) + ".");
}

std::optional<PreparedReply> ApiHandler::answerFromSnapshot(const Request& request) const {
    if (request.method() != verb::get && request.method() != verb::head) return std::nullopt;
    const auto& snapshot = snapshots_.shared();
    if (!snapshot) return std::nullopt;
    std::string_view path = request.target();
    path = path.substr(0, path.find('?'));
    constexpr std::string_view kStationsPrefix = "/stations/";
    const PreparedBody* prepared = nullptr;
    if (path.starts_with(kStationsPrefix)) {
        prepared = snapshot->station(path.substr(kStationsPrefix.size()));
    } else if (path == "/locations") {
        prepared = &snapshot->locations();
    }
    if (prepared == nullptr) return std::nullopt;

    PreparedReply reply{snapshot, prepared, false, -1};
    const auto ifNoneMatch = request.find(field::if_none_match);
    reply.notModified = ifNoneMatch != request.end() && matchesAnyTag(ifNoneMatch->value(), prepared->etag);
    const auto age = std::chrono::steady_clock::now() - snapshot->takenAt();
    if (age > staleAfter_) reply.staleSeconds = std::chrono::duration_cast<std::chrono::seconds>(age).count();
    return reply;
}

// Successful availability answers come from answerFromSnapshot(), which the session asks first;
// these answer what it could not: a location the campaign lacks, or no snapshot yet.
Response ApiHandler::stations(const Request& request, std::string_view location) const {
    if (campaign_.findLocation(location) == nullptr) {
        return errorWith(request, Outcome::kUnknownLocation,
                         "The campaign has no location '" + printableInput(location) + "'.");
    }
    return errorWith(request, Outcome::kStoreUnavailable, "Availability is not known yet.");
}

Response ApiHandler::locations(const Request& request) const {
    return errorWith(request, Outcome::kStoreUnavailable, "Availability is not known yet.");
}

// Not ready says why, so an operator (and a load balancer's log) sees the cause at once.
Response ApiHandler::readiness(const Request& request) const {
    const bool draining = health_.draining.load(std::memory_order_relaxed);
    const app::CampaignStatus campaign = health_.campaign.load(std::memory_order_relaxed);
    const bool storeUp = campaign != app::CampaignStatus::kUnknown;
    const bool open = health_.storeReady.load(std::memory_order_relaxed);
    const bool ready = open && !draining;
    std::string_view reason;
    if (draining) {
        reason = "DRAINING";
    } else if (!storeUp) {
        reason = "STORE_DOWN";
    } else if (!open) {
        reason = app::toString(campaign);  // NOT_SEEDED, MARKER_LOST or OTHER_CAMPAIGN
    }
    std::string body = R"({"status":")";
    body += ready ? "READY" : "NOT_READY";
    if (!ready) {
        body += R"(","reason":")";
        body += reason;
    }
    body += R"(","store":")";
    body += storeUp ? "UP" : "DOWN";
    body += R"(","campaign":")";
    body += app::toString(campaign);
    body += R"(","draining":)";
    body += draining ? "true" : "false";
    const long long backlog = health_.outboxBacklog.load(std::memory_order_relaxed);
    body += R"(,"outboxBacklog":)";
    body += backlog < 0 ? "null" : std::to_string(backlog);
    body += '}';
    Response response =
        jsonResponse(request.version(), ready ? status::ok : status::service_unavailable, body);
    response.set(field::cache_control, "no-store");
    return response;
}

boost::asio::awaitable<Response> ApiHandler::book(const Request& request) {
    if (!isJsonContentType(request[field::content_type])) {
        co_return errorWith(request, HttpRefusal::kUnsupportedMediaType,
                            "Send the booking as application/json.");
    }
    auto parsed = parseBookingForm(request.body());
    if (auto* malformed = std::get_if<MalformedJson>(&parsed)) {
        co_return errorWith(request, HttpRefusal::kMalformedJson, malformed->message);
    }
    const auto& form = std::get<domain::BookingForm>(parsed);
    const app::BookingOutcome outcome = co_await bookings_.book(form);
    if (spdlog::should_log(spdlog::level::debug)) {
        // Personal data stays out of logs: ids and phone numbers are masked.
        const auto* refused = std::get_if<app::BookingRefused>(&outcome);
        spdlog::debug(
            "booking {} {} {}: {}", domain::maskPersonal(form.mysejahteraId), form.location, form.date,
            refused == nullptr ? std::string_view("OK") : domain::spellingOf(refused->outcome).code);
    }
    if (const auto* refused = std::get_if<app::BookingRefused>(&outcome)) {
        Response response = errorWith(request, refused->outcome, refused->message, refused->errors);
        response.set(field::cache_control, "no-store");
        co_return response;
    }
    if (const auto* waitlisted = std::get_if<app::BookingWaitlisted>(&outcome)) {
        Response response =
            jsonResponse(request.version(), status::accepted,
                         waitlistedJson(waitlisted->location, waitlisted->date, waitlisted->position));
        response.set(field::cache_control, "no-store");
        co_return response;
    }
    const auto& confirmed = std::get<app::BookingConfirmed>(outcome);
    Response response = jsonResponse(request.version(), status::ok, bookingJson(confirmed.booking));
    response.set(field::cache_control, "no-store");
    co_return response;
}

boost::asio::awaitable<Response> ApiHandler::findOrCancel(const Request& request,
                                                          std::string_view rawPersonId) {
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
        outcome = co_await lookups_.cancel(personId, phoneNumber);
    } else {
        outcome = co_await lookups_.find(personId, phoneNumber);
    }
    if (const auto* refused = std::get_if<app::BookingRefused>(&outcome)) {
        co_return errorWith(request, refused->outcome, refused->message, refused->errors);
    }
    const auto& found = std::get<app::BookingFound>(outcome);
    if (cancelling && spdlog::should_log(spdlog::level::debug)) {
        spdlog::debug(
            "cancelled {} {} {}; slot to {}", domain::maskPersonal(found.booking.mysejahteraId),
            found.booking.location, found.booking.date,
            found.promotedPersonId.empty() ? "the counter" : domain::maskPersonal(found.promotedPersonId));
    }
    Response response = jsonResponse(request.version(), status::ok, bookingJson(found.booking));
    response.set(field::cache_control, "no-store");
    co_return response;
}

}  // namespace jkjav::http
