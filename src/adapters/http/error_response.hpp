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

// Request bytes as they may appear in an error message: printable ASCII stays, anything else (and
// '\') becomes \xHH, cut after maxLength bytes. A message never carries raw input: invalid
// UTF-8 would break the JSON, and control or direction characters could mislead whoever reads it.
std::string printableInput(std::string_view raw, std::size_t maxLength = 64);

std::string errorBody(domain::ErrorCode code, std::string_view message,
                      const std::vector<domain::FieldError>& errors = {});

}  // namespace jkjav::http
