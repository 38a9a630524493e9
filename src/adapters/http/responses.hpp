// The JSON responses every route builds: the common headers, errors in the one error shape.
#pragma once

#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/error_response.hpp"
#include "adapters/http/http_types.hpp"
#include "domain/booking.hpp"
#include "domain/outcome.hpp"

namespace jkjav::http {

Response jsonResponse(unsigned version, boost::beast::http::status code, std::string body);

// An error a CDN must not keep for everyone (no-store); an outcome that passes soon (e.g.
// STORE_UNAVAILABLE) says when to retry. `code`: a domain::Outcome or an HttpRefusal.
Response errorWith(const Request& request, const WireError& wire, std::string_view message,
                   const std::vector<domain::FieldError>& errors = {});
template <class Code>
Response errorWith(const Request& request, Code code, std::string_view message,
                   const std::vector<domain::FieldError>& errors = {}) {
    return errorWith(request, wireError(code), message, errors);
}

Response tooManyRequests(const Request& request, long long retryAfterSeconds);

Response methodNotAllowed(const Request& request, std::string_view allowed);

// A request body's Content-Type is JSON: `application/json`, any case, parameters allowed.
bool isJsonContentType(std::string_view value);

}  // namespace jkjav::http
