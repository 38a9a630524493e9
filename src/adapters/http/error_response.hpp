// The one error shape of the API: {"status":"Failed","code":...,"message":...,"errors":[...]}.
#pragma once

#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "domain/booking.hpp"
#include "domain/error_code.hpp"

namespace jkjav::http {

// The HTTP status each outcome code is answered with; the only place the two meet.
boost::beast::http::status statusFor(domain::ErrorCode code);

std::string errorBody(domain::ErrorCode code, std::string_view message,
                      const std::vector<domain::FieldError>& errors = {});

}  // namespace jkjav::http
