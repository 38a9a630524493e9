// The identity provider's public keys, read once at start: a JWKS file (RSA and EC P-256 keys,
// chosen by a token's `kid`) or one PEM public key. Each becomes a PEM SubjectPublicKeyInfo, the
// form libjwt verifies with, tied to the one algorithm its type allows.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace jkjav::identity {

struct VerificationKey {
    std::string kid;  // empty: the key has none (a lone PEM key, or a JWK without one)
    std::string alg;  // "RS256" (RSA, 2048 bits or more) or "ES256" (EC P-256): nothing else
    std::string pem;
};

struct KeySet {
    std::vector<VerificationKey> keys;  // never empty
    std::size_t skipped = 0;            // JWKs for encryption or of other types, left out
};

// Why the keys cannot be used; the server refuses to start with it.
struct KeyError {
    std::string message;
};

using KeysOrError = std::variant<KeySet, KeyError>;

// A JWKS document ({"keys":[...]}): RSA keys by n/e, EC P-256 keys by x/y. Keys marked for
// encryption ("use":"enc") or of other types are skipped; a signing key that is malformed, a
// duplicate kid, or no usable key at all is an error.
KeysOrError parseJwks(std::string_view json);

// One PEM public key (SubjectPublicKeyInfo or PKCS#1 "RSA PUBLIC KEY").
KeysOrError parsePublicKeyPem(std::string_view pem);

// The files named by IDENTITY_JWKS_FILE and IDENTITY_PUBLIC_KEY_FILE.
KeysOrError loadJwksFile(const std::string& path);
KeysOrError loadPublicKeyFile(const std::string& path);

}  // namespace jkjav::identity
