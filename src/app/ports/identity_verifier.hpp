// Port: who is asking. With an identity provider configured, a bearer token must prove that the
// person a request is for (its mysejahteraId) is the one sending it; without one, anyone may ask.
#pragma once

#include <optional>
#include <string_view>

namespace jkjav::app {

// Why a token was refused. Every reason but kSubjectMismatch means "no proof of who you are"
// (the HTTP adapter answers them alike, as UNAUTHENTICATED); kSubjectMismatch means "proof of
// someone else" (IDENTITY_MISMATCH).
enum class IdentityFailure {
    kMissing,              // no bearer token
    kMalformed,            // not three base64url parts of JSON
    kAlgorithmNotAllowed,  // alg outside the allow-list (none, HS*, ...) or not its key's
    kUnknownKey,           // no configured key has its kid
    kBadSignature,
    kExpired,      // exp (with the leeway) has passed, or there is no exp
    kNotYetValid,  // nbf (with the leeway) is still ahead
    kWrongIssuer,
    kWrongAudience,
    kSubjectMismatch,  // a valid token for another person (or for no parseable id)
};

class IdentityVerifier {
  public:
    virtual ~IdentityVerifier() = default;
    // nullopt: `bearerToken` proves that the caller is `personId` (compared as domain::parsePersonId
    // normalises both). `bearerToken`: the token of an `Authorization: Bearer` header; empty when
    // there was none.
    [[nodiscard]] virtual std::optional<IdentityFailure> verify(std::string_view bearerToken,
                                                                std::string_view personId) const = 0;
};

// No identity provider configured: every request is taken at its word, as before identities.
class NoIdentityCheck final : public IdentityVerifier {
  public:
    [[nodiscard]] std::optional<IdentityFailure> verify(std::string_view, std::string_view) const override {
        return std::nullopt;
    }
    static const NoIdentityCheck& instance() {
        static const NoIdentityCheck none;
        return none;
    }
};

}  // namespace jkjav::app
