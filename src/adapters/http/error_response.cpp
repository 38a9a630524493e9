#include "adapters/http/error_response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "adapters/text/utf8.hpp"

namespace jkjav::http {

using Status = boost::beast::http::status;

namespace {

// Messages may quote what the client sent (a path, a location); JSON must be UTF-8, so every byte
// that is not part of a well-formed sequence becomes U+FFFD instead of reaching the body raw.
std::string validUtf8(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    while (!text.empty()) {
        const std::size_t length = text::utf8SequenceLength(text);
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

WireError wireError(domain::Outcome outcome) {
    const auto& spelling = domain::spellingOf(outcome);
    return {spelling.code, static_cast<Status>(spelling.httpStatus), spelling.retrySoon};
}

WireError wireError(HttpRefusal refusal) {
    switch (refusal) {
        case HttpRefusal::kBadFraming:
            return {"INVALID_REQUEST", Status::bad_request};
        case HttpRefusal::kMalformedJson:
            return {"MALFORMED_JSON", Status::bad_request};
        case HttpRefusal::kPayloadTooLarge:
            return {"PAYLOAD_TOO_LARGE", Status::payload_too_large};
        case HttpRefusal::kHeadersTooLarge:
            return {"HEADERS_TOO_LARGE", Status::request_header_fields_too_large};
        case HttpRefusal::kRequestTimeout:
            return {"REQUEST_TIMEOUT", Status::request_timeout};
        case HttpRefusal::kUnsupportedMediaType:
            return {"UNSUPPORTED_MEDIA_TYPE", Status::unsupported_media_type};
        case HttpRefusal::kNoSuchEndpoint:
            return {"NOT_FOUND", Status::not_found};
        case HttpRefusal::kMethodNotAllowed:
            return {"METHOD_NOT_ALLOWED", Status::method_not_allowed};
        case HttpRefusal::kRateLimited:
            return {"RATE_LIMITED", Status::too_many_requests};  // Retry-After: the limiter's own wait
        case HttpRefusal::kServerBusy:
            return {"SERVER_BUSY", Status::service_unavailable};
        case HttpRefusal::kInternal:
            break;
    }
    return {"INTERNAL", Status::internal_server_error};
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

std::string errorBody(const WireError& wire, std::string_view message,
                      const std::vector<domain::FieldError>& errors) {
    boost::json::object body;
    body["status"] = "Failed";
    body["code"] = wire.code;
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
