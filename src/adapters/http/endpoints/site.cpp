// GET /, /docs and /assets/{file}: the booking page, the API docs and their assets. Found files are
// answered from memory (ApiHandler::answerFromSnapshot); this answers the rest.
#include <boost/beast/http/field.hpp>

#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/error_response.hpp"
#include "adapters/http/responses.hpp"
#include "adapters/http/static_site.hpp"

namespace jkjav::http {

const PreparedBody* siteFile(const StaticSite& site, const Request& request, std::string_view path) {
    const auto acceptEncoding = request.find(boost::beast::http::field::accept_encoding);
    return site.find(path, acceptEncoding != request.end() && acceptsGzip(acceptEncoding->value()));
}

// An asset name no build made (an old page asking for a replaced hash), or a server started
// without its built site (WEB_ROOT).
boost::asio::awaitable<Response> answerSiteMiss(Endpoints&, const RouteRequest& route) {
    const std::string_view path = route.request.target().substr(0, route.request.target().find('?'));
    co_return errorWith(route.request, HttpRefusal::kNoSuchEndpoint,
                        "No such file: " + printableInput(path) + " (is the page built? see WEB_ROOT).");
}

}  // namespace jkjav::http
