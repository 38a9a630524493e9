// POST /queue and GET /queue/{ticket}: the waiting room. Without a `queue` section in the campaign
// file both answer 404, as any path the server does not serve.
#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/identity_check.hpp"
#include "adapters/http/queue_answer_json.hpp"
#include "adapters/http/responses.hpp"

namespace jkjav::http {

namespace beast = boost::beast;
namespace json = boost::json;
using beast::http::field;
using beast::http::status;

namespace {

Response noQueue(const Request& request) {
    return errorWith(request, HttpRefusal::kNoSuchEndpoint,
                     "This campaign has no waiting room: book directly.");
}

Response answered(const Request& request, const app::QueueOutcome& outcome) {
    if (const auto* refused = std::get_if<app::QueueRefused>(&outcome)) {
        Response response = errorWith(request, refused->outcome, refused->message, refused->errors);
        response.set(field::cache_control, "no-store");
        if (refused->retryAfterSeconds > 0)
            response.set(field::retry_after, std::to_string(refused->retryAfterSeconds));
        return response;
    }
    const auto& answer = std::get<app::QueueAnswer>(outcome);
    // Polled by everyone in line: the body straight into a stack buffer, the header likewise.
    const QueueAnswerJson body(answer);
    Response response = jsonResponse(request.version(), status::ok, std::string(body.text()));
    response.set(field::cache_control, "no-store");
    std::array<char, 24> retryAfter{};
    const auto written =
        std::to_chars(retryAfter.data(), retryAfter.data() + retryAfter.size(), answer.retryAfterSeconds);
    response.set(field::retry_after, std::string_view(retryAfter.data(), written.ptr - retryAfter.data()));
    return response;
}

}  // namespace

boost::asio::awaitable<Response> answerQueueJoin(Endpoints& endpoints, const RouteRequest& route) {
    const Request& request = route.request;
    if (endpoints.queue == nullptr) co_return noQueue(request);
    if (!isJsonContentType(request[field::content_type]))
        co_return errorWith(request, HttpRefusal::kUnsupportedMediaType,
                            "Send {\"mysejahteraId\"} as application/json.");
    boost::system::error_code ec;
    const json::value body = json::parse(request.body(), ec);
    if (ec || !body.is_object())
        co_return errorWith(request, HttpRefusal::kMalformedJson, "The body must be a JSON object.");
    const auto* id = body.get_object().if_contains("mysejahteraId");
    if (id == nullptr || !id->is_string()) {
        co_return errorWith(request, domain::Outcome::kInvalidRequest, "Invalid request.",
                            {{"mysejahteraId", "is required, as a string"}});
    }
    // Where the deployment has an identity provider, only the person themself may take a place.
    if (auto refused = refuseUnidentified(endpoints.identity, request, id->get_string())) co_return *refused;
    co_return answered(request, co_await endpoints.queue->join(id->get_string()));
}

boost::asio::awaitable<Response> answerQueueStatus(Endpoints& endpoints, const RouteRequest& route) {
    if (endpoints.queue == nullptr) co_return noQueue(route.request);
    co_return answered(route.request, co_await endpoints.queue->status(route.param));
}

}  // namespace jkjav::http
