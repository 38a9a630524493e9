// The machine-readable outcome codes every client sees in the "code" field of an error.
#pragma once

#include <string_view>

namespace jkjav::domain {

enum class ErrorCode {
    kInvalidRequest,
    kMalformedJson,
    kPayloadTooLarge,
    kHeadersTooLarge,  // the request head is over the header limit
    kRequestTimeout,   // the head came, the body stopped arriving
    kUnsupportedMediaType,
    kNotFound,
    kMethodNotAllowed,
    kUnknownLocation,
    kUnknownSlot,
    kFull,
    kAlreadyBooked,
    kAlreadyWaitlisted,
    kNotEligible,
    kRateLimited,
    kStoreUnavailable,
    kServerBusy,  // MAX_CONNECTIONS are open
    kInternal,
};

std::string_view toString(ErrorCode code);

}  // namespace jkjav::domain
