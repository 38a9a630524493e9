#include "adapters/http/responses.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include "adapters/http/error_response.hpp"
#include "adapters/http/http_date.hpp"

namespace jkjav::http {

using boost::beast::http::field;

Response jsonResponse(unsigned version, boost::beast::http::status code, std::string body) {
    Response response{code, version};
    response.set(field::server, "jkjav");
    response.set(field::date, dateHeaderValue());
    response.set(field::content_type, "application/json");
    response.set("X-Content-Type-Options", "nosniff");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

Response errorWith(const Request& request, const WireError& wire, std::string_view message,
                   const std::vector<domain::FieldError>& errors) {
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

bool isJsonContentType(std::string_view value) {
    std::string_view type = value.substr(0, value.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    return boost::beast::iequals(type, "application/json");
}

}  // namespace jkjav::http
