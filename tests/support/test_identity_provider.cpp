#include "test_identity_provider.hpp"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace jkjav::testing {

namespace {

// OpenSSL's base64, made url-safe: independent of the server's own encoder, which tests check.
std::string base64Url(const unsigned char* data, std::size_t size) {
    std::string text(4 * ((size + 2) / 3) + 1, '\0');
    const int length =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), data, static_cast<int>(size));
    text.resize(static_cast<std::size_t>(length));
    while (!text.empty() && text.back() == '=') text.pop_back();
    for (char& c : text) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    return text;
}

std::string pem(EVP_PKEY* key, bool privateKey) {
    BIO* bio = BIO_new(BIO_s_mem());
    const int ok = privateKey ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                              : PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string text = ok == 1 && length > 0 ? std::string(data, static_cast<std::size_t>(length)) : "";
    BIO_free(bio);
    if (text.empty()) throw std::runtime_error("cannot write a test key as PEM");
    return text;
}

std::string bignumParam(EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1) throw std::runtime_error("no RSA parameter");
    std::vector<unsigned char> bytes(static_cast<std::size_t>(BN_num_bytes(number)));
    BN_bn2bin(number, bytes.data());
    BN_free(number);
    return base64Url(bytes.data(), bytes.size());
}

}  // namespace

struct TestIdentityProvider::Keys {
    EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    EVP_PKEY* otherRsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ~Keys() {
        EVP_PKEY_free(rsa);
        EVP_PKEY_free(otherRsa);
        EVP_PKEY_free(ec);
    }
};

TestIdentityProvider::TestIdentityProvider() : keys_(std::make_unique<Keys>()) {
    if (!keys_->rsa || !keys_->otherRsa || !keys_->ec) throw std::runtime_error("cannot make test keys");
}

TestIdentityProvider::~TestIdentityProvider() = default;

std::string TestIdentityProvider::rsaPublicPem() const { return pem(keys_->rsa, false); }
std::string TestIdentityProvider::ecPublicPem() const { return pem(keys_->ec, false); }

std::string TestIdentityProvider::jwks() const {
    unsigned char point[65];
    std::size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(keys_->ec, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length) !=
            1 ||
        length != 65)
        throw std::runtime_error("no uncompressed EC point");
    boost::json::value set = {{"keys",
                               {{{"kty", "RSA"},
                                 {"kid", kRsaKid},
                                 {"use", "sig"},
                                 {"alg", "RS256"},
                                 {"n", bignumParam(keys_->rsa, OSSL_PKEY_PARAM_RSA_N)},
                                 {"e", bignumParam(keys_->rsa, OSSL_PKEY_PARAM_RSA_E)}},
                                {{"kty", "EC"},
                                 {"kid", kEcKid},
                                 {"crv", "P-256"},
                                 {"x", base64Url(point + 1, 32)},
                                 {"y", base64Url(point + 33, 32)}}}}};
    return boost::json::serialize(set);
}

std::string TestIdentityProvider::token(const std::string& sub,
                                        std::chrono::system_clock::time_point now) const {
    boost::json::value claims = {{"sub", sub},
                                 {"iss", kIssuer},
                                 {"aud", kAudience},
                                 {"iat", epochSeconds(now)},
                                 {"exp", epochSeconds(now + std::chrono::hours(1))}};
    return sign("rsa", kRsaKid, boost::json::serialize(claims));
}

std::string TestIdentityProvider::sign(const std::string& signer, const std::string& kid,
                                       const std::string& claimsJson) const {
    jwt_t* jwt = nullptr;
    if (jwt_new(&jwt) != 0) throw std::runtime_error("jwt_new");
    std::string key;
    jwt_alg_t alg = JWT_ALG_NONE;
    if (signer == "rsa") {
        key = pem(keys_->rsa, true);
        alg = JWT_ALG_RS256;
    } else if (signer == "other-rsa") {
        key = pem(keys_->otherRsa, true);
        alg = JWT_ALG_RS256;
    } else if (signer == "ec") {
        key = pem(keys_->ec, true);
        alg = JWT_ALG_ES256;
    } else if (signer == "hs256-public-pem") {
        key = pem(keys_->rsa, false);
        alg = JWT_ALG_HS256;
    } else if (signer != "none") {
        throw std::runtime_error("unknown signer " + signer);
    }
    if (!kid.empty()) jwt_add_header(jwt, "kid", kid.c_str());
    if (jwt_add_grants_json(jwt, claimsJson.c_str()) != 0 ||
        jwt_set_alg(jwt, alg, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                    static_cast<int>(key.size())) != 0)
        throw std::runtime_error("cannot sign a test token");
    char* encoded = jwt_encode_str(jwt);
    jwt_free(jwt);
    if (encoded == nullptr) throw std::runtime_error("jwt_encode_str");
    std::string token(encoded);
    std::free(encoded);
    return token;
}

long long epochSeconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace jkjav::testing
