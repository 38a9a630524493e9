#include "adapters/http/error_response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace jkjav::http {

using domain::ErrorCode;
using Status = boost::beast::http::status;

namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF), or 0 if it does not start with one.
std::size_t validSequenceLength(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;  // the range of the second byte; later ones are always 80..BF
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    return length;
}

// Messages may quote what the client sent (a path, a location); JSON must be UTF-8, so every byte
// that is not part of a well-formed sequence becomes U+FFFD instead of reaching the body raw.
std::string validUtf8(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    while (!text.empty()) {
        const std::size_t length = validSequenceLength(text);
        if (length == 0) {
            clean += "\xEF\xBF\xBD";
            text.remove_prefix(1);
        } else {
            clean.append(text.substr(0, length));
            text.remove_prefix(length);
        }
    }
    return clean;
}

}  // namespace

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
    body["message"] = validUtf8(message);
    if (!errors.empty()) {
        boost::json::array list;
        for (const auto& error : errors)
            list.push_back({{"field", validUtf8(error.field)}, {"message", validUtf8(error.message)}});
        body["errors"] = std::move(list);
    }
    return boost::json::serialize(body);
}

}  // namespace jkjav::http
