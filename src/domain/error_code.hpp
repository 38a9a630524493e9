// The machine-readable outcome codes every client sees in the "code" field of an error.
#pragma once

#include <string_view>

namespace jkjav::domain {

enum class ErrorCode {
    kInvalidRequest,
    kMalformedJson,
    kPayloadTooLarge,
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
    kInternal,
};

std::string_view toString(ErrorCode code);

}  // namespace jkjav::domain
