#include "adapters/http/identity_check.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include "adapters/http/responses.hpp"

namespace jkjav::http {

using app::IdentityFailure;
using boost::beast::http::field;
using Status = boost::beast::http::status;

namespace {

std::string_view messageFor(IdentityFailure failure) {
    switch (failure) {
        case IdentityFailure::kMissing:
            return "Sign in first: send the identity provider's token as Authorization: Bearer <token>.";
        case IdentityFailure::kMalformed:
            return "The bearer token is not a well-formed JWT.";
        case IdentityFailure::kAlgorithmNotAllowed:
            return "The bearer token's signing algorithm is not accepted.";
        case IdentityFailure::kUnknownKey:
            return "The bearer token is signed with a key this server does not know.";
        case IdentityFailure::kBadSignature:
            return "The bearer token's signature is not valid.";
        case IdentityFailure::kExpired:
            return "The bearer token has expired (or has no expiry); sign in again.";
        case IdentityFailure::kNotYetValid:
            return "The bearer token is not valid yet.";
        case IdentityFailure::kWrongIssuer:
            return "The bearer token is from another issuer.";
        case IdentityFailure::kWrongAudience:
            return "The bearer token is meant for another service.";
        case IdentityFailure::kSubjectMismatch:
            break;
    }
    return "The bearer token belongs to another person than the mysejahteraId asked for.";
}

}  // namespace

WireError wireError(IdentityFailure failure) {
    if (failure == IdentityFailure::kSubjectMismatch) return {"IDENTITY_MISMATCH", Status::unauthorized};
    return {"UNAUTHENTICATED", Status::unauthorized};
}

std::string_view bearerToken(const Request& request) {
    const auto header = request.find(field::authorization);
    if (header == request.end()) return {};
    std::string_view value = header->value();
    constexpr std::string_view kScheme = "bearer ";
    if (value.size() <= kScheme.size() || !boost::beast::iequals(value.substr(0, kScheme.size()), kScheme))
        return {};
    value.remove_prefix(kScheme.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return value;
}

std::optional<Response> refuseUnidentified(const app::IdentityVerifier& identity, const Request& request,
                                           std::string_view personId) {
    const auto failure = identity.verify(bearerToken(request), personId);
    if (!failure) return std::nullopt;
    Response response = errorWith(request, wireError(*failure), messageFor(*failure));
    // RFC 6750 section 3: no error attribute when no token came at all.
    response.set(field::www_authenticate, *failure == IdentityFailure::kMissing
                                              ? R"(Bearer realm="jkjav")"
                                              : R"(Bearer realm="jkjav", error="invalid_token")");
    return response;
}

}  // namespace jkjav::http
