#include "adapters/identity/identity_keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "adapters/text/base64url.hpp"

namespace jkjav::identity {

namespace {

template <class T, void (*Free)(T*)>
struct Freer {
    void operator()(T* p) const { Free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using PkeyContext = std::unique_ptr<EVP_PKEY_CTX, Freer<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Freer<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Freer<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Freer<OSSL_PARAM, OSSL_PARAM_free>>;
void freeBio(BIO* bio) { BIO_free(bio); }
using Bio = std::unique_ptr<BIO, Freer<BIO, freeBio>>;

constexpr int kMinRsaBits = 2048;

std::string pemOf(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) return {};
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

// The one algorithm a key may verify: RS256 for RSA of kMinRsaBits or more, ES256 for EC P-256.
std::variant<std::string, KeyError> algorithmFor(EVP_PKEY* key) {
    if (EVP_PKEY_is_a(key, "RSA")) {
        if (EVP_PKEY_get_bits(key) < kMinRsaBits)
            return KeyError{"RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) + " bits; at least " +
                            std::to_string(kMinRsaBits) + " are needed"};
        return std::string("RS256");
    }
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) !=
                1 ||
            std::string_view(group, length) != "prime256v1")
            return KeyError{"EC key on curve '" + std::string(group, length) +
                            "'; only P-256 (ES256) is allowed"};
        return std::string("ES256");
    }
    return KeyError{"a key of a type other than RSA or EC P-256"};
}

Pkey keyFromParams(const char* type, OSSL_PARAM_BLD* builder) {
    Params params(OSSL_PARAM_BLD_to_param(builder));
    PkeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return nullptr;
    return Pkey(key);
}

std::optional<std::string> member(const boost::json::object& jwk, std::string_view name) {
    const auto* value = jwk.if_contains(name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->as_string());
}

std::optional<std::string> bytesMember(const boost::json::object& jwk, std::string_view name) {
    auto text = member(jwk, name);
    if (!text || text->empty()) return std::nullopt;
    return text::decodeBase64Url(*text);
}

std::variant<Pkey, KeyError> rsaKey(const boost::json::object& jwk) {
    const auto n = bytesMember(jwk, "n");
    const auto e = bytesMember(jwk, "e");
    if (!n || !e) return KeyError{"an RSA key needs n and e in base64url"};
    Bignum modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), int(n->size()), nullptr));
    Bignum exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), int(e->size()), nullptr));
    ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!modulus || !exponent || !builder ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1)
        return KeyError{"cannot build the RSA key"};
    Pkey key = keyFromParams("RSA", builder.get());
    if (!key) return KeyError{"not a valid RSA public key"};
    return key;
}

std::variant<Pkey, KeyError> ecKey(const boost::json::object& jwk) {
    if (member(jwk, "crv") != "P-256") return KeyError{"an EC key must be on crv P-256 (ES256)"};
    const auto x = bytesMember(jwk, "x");
    const auto y = bytesMember(jwk, "y");
    if (!x || !y || x->size() != 32 || y->size() != 32)
        return KeyError{"an EC P-256 key needs 32-byte x and y"};
    const std::string point = "\x04" + *x + *y;  // the uncompressed point
    ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1)
        return KeyError{"cannot build the EC key"};
    Pkey key = keyFromParams("EC", builder.get());
    if (!key) return KeyError{"not a point on P-256"};
    return key;
}

KeysOrError readFile(const std::string& path, KeysOrError (*parse)(std::string_view)) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return KeyError{"cannot read " + path};
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) return KeyError{"cannot read " + path};
    auto parsed = parse(text.str());
    if (auto* error = std::get_if<KeyError>(&parsed)) error->message = path + ": " + error->message;
    return parsed;
}

}  // namespace

KeysOrError parseJwks(std::string_view json) {
    boost::system::error_code ec;
    const boost::json::value document = boost::json::parse(json, ec);
    if (ec || !document.is_object()) return KeyError{"not a JSON object"};
    const auto* list = document.as_object().if_contains("keys");
    if (list == nullptr || !list->is_array())
        return KeyError{"no \"keys\" array (a JWKS is {\"keys\":[...]})"};
    KeySet set;
    std::set<std::string> kids;
    std::size_t index = 0;
    for (const auto& item : list->as_array()) {
        const std::string where = "keys[" + std::to_string(index++) + "]: ";
        if (!item.is_object()) return KeyError{where + "not an object"};
        const auto& jwk = item.as_object();
        const auto kty = member(jwk, "kty");
        const auto use = member(jwk, "use");
        if ((kty != "RSA" && kty != "EC") || (use && *use != "sig")) {
            ++set.skipped;  // an encryption key, or a type no token of ours is signed with
            continue;
        }
        auto built = kty == "RSA" ? rsaKey(jwk) : ecKey(jwk);
        if (auto* error = std::get_if<KeyError>(&built)) return KeyError{where + error->message};
        auto& key = std::get<Pkey>(built);
        auto alg = algorithmFor(key.get());
        if (auto* error = std::get_if<KeyError>(&alg)) return KeyError{where + error->message};
        const auto declared = member(jwk, "alg");
        if (declared && *declared != std::get<std::string>(alg)) {
            ++set.skipped;  // e.g. an RSA key for RS512: not on our allow-list
            continue;
        }
        VerificationKey verification{member(jwk, "kid").value_or(""), std::get<std::string>(alg),
                                     pemOf(key.get())};
        if (verification.pem.empty()) return KeyError{where + "cannot write the key as PEM"};
        if (!kids.insert(verification.kid).second)
            return KeyError{where + (verification.kid.empty() ? "more than one key without a kid"
                                                              : "kid '" + verification.kid + "' twice")};
        set.keys.push_back(std::move(verification));
    }
    if (set.keys.empty()) return KeyError{"no RS256 or ES256 signing key"};
    return set;
}

KeysOrError parsePublicKeyPem(std::string_view pem) {
    // OpenSSL's decoder takes SubjectPublicKeyInfo ("PUBLIC KEY") and PKCS#1 ("RSA PUBLIC KEY") alike.
    EVP_PKEY* decoded = nullptr;
    std::unique_ptr<OSSL_DECODER_CTX, Freer<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>> decoder(
        OSSL_DECODER_CTX_new_for_pkey(&decoded, "PEM", nullptr, nullptr, EVP_PKEY_PUBLIC_KEY, nullptr,
                                      nullptr));
    const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
    std::size_t length = pem.size();
    if (decoder) OSSL_DECODER_from_data(decoder.get(), &data, &length);
    Pkey key(decoded);
    if (!key) return KeyError{"not a PEM public key"};
    auto alg = algorithmFor(key.get());
    if (auto* error = std::get_if<KeyError>(&alg)) return *error;
    std::string canonical = pemOf(key.get());
    if (canonical.empty()) return KeyError{"cannot write the key as PEM"};
    return KeySet{{VerificationKey{"", std::get<std::string>(alg), std::move(canonical)}}, 0};
}

KeysOrError loadJwksFile(const std::string& path) { return readFile(path, parseJwks); }

KeysOrError loadPublicKeyFile(const std::string& path) { return readFile(path, parsePublicKeyPem); }

}  // namespace jkjav::identity
