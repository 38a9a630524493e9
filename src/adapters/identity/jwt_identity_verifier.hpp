// IdentityVerifier for JWTs of the national identity provider: the signature by libjwt with one of
// the configured keys, everything around it (which key, which algorithm, which claims) here.
#pragma once

#include <chrono>
#include <string>

#include "adapters/identity/identity_keys.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/identity_verifier.hpp"

namespace jkjav::identity {

struct IdentitySettings {
    std::string issuer;    // IDENTITY_ISSUER: the token's iss, exactly
    std::string audience;  // IDENTITY_AUDIENCE: in the token's aud (a string, or one of an array)
};

// Clocks of the provider and of this server disagree a little; exp and nbf are honoured that much
// late or early. Small, so a stolen token does not outlive its exp by long.
inline constexpr std::chrono::seconds kClockLeeway{30};

// A token longer than this is refused before any parsing (a real one is well under 2 KiB).
inline constexpr std::size_t kMaxTokenBytes = 8192;

class JwtIdentityVerifier final : public app::IdentityVerifier {
  public:
    JwtIdentityVerifier(KeySet keys, IdentitySettings settings, const app::Clock& clock);

    // Refuses, in this order: no token; not a JWT; an alg other than RS256/ES256 or other than its
    // key's (so never `none`, never HS256 keyed with a public key); a kid no key has (with no kid:
    // the key, when there is only one); a bad signature; exp missing or past, nbf ahead (both with
    // kClockLeeway); iss; aud; then a sub that is not `personId`. Thread-safe: keeps no state.
    [[nodiscard]] std::optional<app::IdentityFailure> verify(std::string_view bearerToken,
                                                             std::string_view personId) const override;

  private:
    [[nodiscard]] const VerificationKey* keyFor(std::string_view kid) const;

    KeySet keys_;
    IdentitySettings settings_;
    const app::Clock& clock_;
};

}  // namespace jkjav::identity
