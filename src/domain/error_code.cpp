#include "domain/error_code.hpp"

namespace jkjav::domain {

std::string_view toString(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidRequest:
            return "INVALID_REQUEST";
        case ErrorCode::kMalformedJson:
            return "MALFORMED_JSON";
        case ErrorCode::kPayloadTooLarge:
            return "PAYLOAD_TOO_LARGE";
        case ErrorCode::kHeadersTooLarge:
            return "HEADERS_TOO_LARGE";
        case ErrorCode::kRequestTimeout:
            return "REQUEST_TIMEOUT";
        case ErrorCode::kUnsupportedMediaType:
            return "UNSUPPORTED_MEDIA_TYPE";
        case ErrorCode::kNotFound:
            return "NOT_FOUND";
        case ErrorCode::kMethodNotAllowed:
            return "METHOD_NOT_ALLOWED";
        case ErrorCode::kUnknownLocation:
            return "UNKNOWN_LOCATION";
        case ErrorCode::kUnknownSlot:
            return "UNKNOWN_SLOT";
        case ErrorCode::kFull:
            return "FULL";
        case ErrorCode::kAlreadyBooked:
            return "ALREADY_BOOKED";
        case ErrorCode::kAlreadyWaitlisted:
            return "ALREADY_WAITLISTED";
        case ErrorCode::kNotEligible:
            return "NOT_ELIGIBLE";
        case ErrorCode::kRateLimited:
            return "RATE_LIMITED";
        case ErrorCode::kStoreUnavailable:
            return "STORE_UNAVAILABLE";
        case ErrorCode::kServerBusy:
            return "SERVER_BUSY";
        case ErrorCode::kInternal:
            return "INTERNAL";
    }
    return "INTERNAL";
}

}  // namespace jkjav::domain
