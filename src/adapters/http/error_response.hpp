// The one error shape of the API: {"status":"Failed","code":...,"message":...,"errors":[...]}.
#pragma once

#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "domain/booking.hpp"
#include "domain/outcome.hpp"

namespace jkjav::http {

// Refusals about the request's transport rather than its meaning: the domain never sees these.
enum class HttpRefusal {
    kBadFraming,  // the request could not be read as HTTP
    kMalformedJson,
    kPayloadTooLarge,
    kHeadersTooLarge,  // the request head is over the header limit
    kRequestTimeout,   // the head came, the body stopped arriving
    kUnsupportedMediaType,
    kNoSuchEndpoint,
    kMethodNotAllowed,
    kRateLimited,  // this client address asked too often
    kServerBusy,   // MAX_CONNECTIONS are open
    kInternal,
};

// What an error answer says on the wire: its `code`, its status, and whether to retry soon.
struct WireError {
    std::string_view code;
    boost::beast::http::status status;
    bool retrySoon = false;  // Retry-After: 1
};

// The outcomes' wire form comes from domain::kOutcomes; the transport refusals' from this adapter.
WireError wireError(domain::Outcome outcome);
WireError wireError(HttpRefusal refusal);
template <class Code>
boost::beast::http::status statusFor(Code code) {
    return wireError(code).status;
}

// Request bytes as they may appear in an error message: printable ASCII stays, anything else (and
// '\') becomes \xHH, cut after maxLength bytes. A message never carries raw input: invalid
// UTF-8 would break the JSON, and control or direction characters could mislead whoever reads it.
std::string printableInput(std::string_view raw, std::size_t maxLength = 64);

std::string errorBody(const WireError& wire, std::string_view message,
                      const std::vector<domain::FieldError>& errors = {});
template <class Code>
std::string errorBody(Code code, std::string_view message,
                      const std::vector<domain::FieldError>& errors = {}) {
    return errorBody(wireError(code), message, errors);
}

}  // namespace jkjav::http
