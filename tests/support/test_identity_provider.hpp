// A stand-in for the national identity provider in tests: fresh RSA and EC P-256 key pairs made
// here with OpenSSL (no fixture from elsewhere), its JWKS, and tokens signed with libjwt.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace jkjav::testing {

class TestIdentityProvider {
  public:
    static constexpr const char* kIssuer = "https://id.test.my";
    static constexpr const char* kAudience = "jkjav";
    static constexpr const char* kRsaKid = "rsa-1";
    static constexpr const char* kEcKid = "ec-1";

    TestIdentityProvider();  // makes the keys: an RSA key takes a moment
    ~TestIdentityProvider();
    TestIdentityProvider(const TestIdentityProvider&) = delete;
    TestIdentityProvider& operator=(const TestIdentityProvider&) = delete;

    // {"keys":[the RSA key as kRsaKid, the EC key as kEcKid]}.
    [[nodiscard]] std::string jwks() const;
    [[nodiscard]] std::string rsaPublicPem() const;
    [[nodiscard]] std::string ecPublicPem() const;

    // A token for `sub` from kIssuer to kAudience, expiring an hour after `now`.
    [[nodiscard]] std::string token(const std::string& sub, std::chrono::system_clock::time_point now =
                                                                std::chrono::system_clock::now()) const;

    // The parts of any token a test needs: header (alg from `alg`, kid if not empty) and claims as
    // JSON, signed by the named key: "rsa", "ec", "other-rsa" (a key nobody published), "none"
    // (no signature) or "hs256-public-pem" (HS256 keyed with the RSA public key's PEM).
    [[nodiscard]] std::string sign(const std::string& signer, const std::string& kid,
                                   const std::string& claimsJson) const;

  private:
    struct Keys;
    std::unique_ptr<Keys> keys_;
};

// Seconds since the epoch, for exp/nbf claims.
long long epochSeconds(std::chrono::system_clock::time_point time);

}  // namespace jkjav::testing
