// GET /metrics: the Prometheus text exposition (adapters/metrics), answered by this server itself.
#include <boost/beast/http/field.hpp>

#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/responses.hpp"

namespace jkjav::http {

using boost::beast::http::field;

boost::asio::awaitable<Response> answerMetrics(Endpoints& endpoints, const RouteRequest& route) {
    Response response =
        jsonResponse(route.request.version(), boost::beast::http::status::ok,
                     endpoints.metrics == nullptr ? std::string() : endpoints.metrics->render());
    response.set(field::content_type, metrics::kTextContentType);
    response.set(field::cache_control, "no-store");
    co_return response;
}

}  // namespace jkjav::http
