// The JSON responses every route builds: the common headers, errors in the one error shape.
#pragma once

#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/http_types.hpp"
#include "domain/booking.hpp"
#include "domain/error_code.hpp"

namespace jkjav::http {

Response jsonResponse(unsigned version, boost::beast::http::status code, std::string body);

// An error a CDN must not keep for everyone (no-store); STORE_UNAVAILABLE says when to retry.
Response errorWith(const Request& request, domain::ErrorCode code, std::string_view message,
                   const std::vector<domain::FieldError>& errors = {});

Response tooManyRequests(const Request& request, long long retryAfterSeconds);

Response methodNotAllowed(const Request& request, std::string_view allowed);

}  // namespace jkjav::http
