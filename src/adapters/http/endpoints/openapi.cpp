// GET /openapi.json: the API's own description, embedded at build time.
#include <boost/beast/http/field.hpp>

#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/responses.hpp"

namespace jkjav::embedded {
extern const std::string_view kOpenApiJson;
}

namespace jkjav::http {

boost::asio::awaitable<Response> answerOpenApi(Endpoints&, const RouteRequest& route) {
    Response response = jsonResponse(route.request.version(), boost::beast::http::status::ok,
                                     std::string(embedded::kOpenApiJson));
    response.set(boost::beast::http::field::cache_control, "public, max-age=300");
    co_return response;
}

}  // namespace jkjav::http
