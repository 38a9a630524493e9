#include "adapters/http/error_response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace jkjav::http {

using domain::ErrorCode;
using Status = boost::beast::http::status;

Status statusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidRequest:
        case ErrorCode::kMalformedJson:
            return Status::bad_request;
        case ErrorCode::kPayloadTooLarge:
            return Status::payload_too_large;
        case ErrorCode::kHeadersTooLarge:
            return Status::request_header_fields_too_large;
        case ErrorCode::kRequestTimeout:
            return Status::request_timeout;
        case ErrorCode::kUnsupportedMediaType:
            return Status::unsupported_media_type;
        case ErrorCode::kNotFound:
        case ErrorCode::kUnknownLocation:
            return Status::not_found;
        case ErrorCode::kMethodNotAllowed:
            return Status::method_not_allowed;
        case ErrorCode::kUnknownSlot:
            return Status::unprocessable_entity;
        case ErrorCode::kFull:
        case ErrorCode::kAlreadyBooked:
        case ErrorCode::kAlreadyWaitlisted:
            return Status::conflict;
        case ErrorCode::kNotEligible:
            return Status::forbidden;
        case ErrorCode::kRateLimited:
            return Status::too_many_requests;
        case ErrorCode::kStoreUnavailable:
        case ErrorCode::kServerBusy:
            return Status::service_unavailable;
        case ErrorCode::kInternal:
            return Status::internal_server_error;
    }
    return Status::internal_server_error;
}

std::string printableInput(std::string_view raw, std::size_t maxLength) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (const unsigned char c : raw.substr(0, maxLength)) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            text.push_back(static_cast<char>(c));
        } else {
            text += "\\x";
            text.push_back(kHex[c >> 4]);
            text.push_back(kHex[c & 0xf]);
        }
    }
    if (raw.size() > maxLength) text += "...";
    return text;
}

std::string errorBody(ErrorCode code, std::string_view message,
                      const std::vector<domain::FieldError>& errors) {
    boost::json::object body;
    body["status"] = "Failed";
    body["code"] = domain::toString(code);
    body["message"] = message;
    if (!errors.empty()) {
        boost::json::array list;
        for (const auto& error : errors) list.push_back({{"field", error.field}, {"message", error.message}});
        body["errors"] = std::move(list);
    }
    return boost::json::serialize(body);
}

}  // namespace jkjav::http
