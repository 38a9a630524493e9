#include "adapters/identity/jwt_identity_verifier.hpp"

#include <jwt.h>
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <memory>

#include "adapters/text/base64url.hpp"
#include "domain/person_id.hpp"

namespace jkjav::identity {

using app::IdentityFailure;

namespace {

struct JwtFree {
    void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct CharFree {
    void operator()(char* text) const { std::free(text); }
};

// A base64url part of the token as a JSON object; nullopt when it is anything else.
std::optional<boost::json::object> jsonPart(std::string_view part) {
    const auto bytes = text::decodeBase64Url(part);
    if (!bytes) return std::nullopt;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(*bytes, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::move(value.as_object());
}

std::optional<double> numericClaim(const boost::json::object& claims, std::string_view name) {
    const auto* value = claims.if_contains(name);
    if (value == nullptr || !value->is_number()) return std::nullopt;
    boost::system::error_code ec;
    const double number = value->to_number<double>(ec);
    if (ec || !std::isfinite(number)) return std::nullopt;
    return number;
}

bool hasAudience(const boost::json::value* aud, std::string_view audience) {
    if (aud == nullptr) return false;
    if (aud->is_string()) return aud->as_string() == audience;
    if (!aud->is_array()) return false;
    for (const auto& entry : aud->as_array()) {
        if (entry.is_string() && entry.as_string() == audience) return true;
    }
    return false;
}

jwt_alg_t libjwtAlgorithm(std::string_view alg) { return alg == "ES256" ? JWT_ALG_ES256 : JWT_ALG_RS256; }

}  // namespace

JwtIdentityVerifier::JwtIdentityVerifier(KeySet keys, IdentitySettings settings, const app::Clock& clock)
    : keys_(std::move(keys)), settings_(std::move(settings)), clock_(clock) {}

const VerificationKey* JwtIdentityVerifier::keyFor(std::string_view kid) const {
    if (kid.empty()) return keys_.keys.size() == 1 ? &keys_.keys.front() : nullptr;
    for (const auto& key : keys_.keys) {
        if (key.kid == kid) return &key;
    }
    // A lone key without a kid (a PEM file) verifies whatever kid the token names.
    if (keys_.keys.size() == 1 && keys_.keys.front().kid.empty()) return &keys_.keys.front();
    return nullptr;
}

std::optional<IdentityFailure> JwtIdentityVerifier::verify(std::string_view token,
                                                           std::string_view personId) const {
    if (token.empty()) return IdentityFailure::kMissing;
    if (token.size() > kMaxTokenBytes) return IdentityFailure::kMalformed;
    const auto firstDot = token.find('.');
    const auto secondDot = firstDot == std::string_view::npos ? firstDot : token.find('.', firstDot + 1);
    if (secondDot == std::string_view::npos || token.find('.', secondDot + 1) != std::string_view::npos)
        return IdentityFailure::kMalformed;
    if (token.find('\0') != std::string_view::npos) return IdentityFailure::kMalformed;

    // The header is read before any key is chosen: it names the key (kid) and the algorithm, and
    // the algorithm must be the key's own before the signature is checked at all. libjwt 1.10 would
    // otherwise accept `none` as signed, and check HS256 with the public key's PEM as its secret.
    const auto header = jsonPart(token.substr(0, firstDot));
    if (!header) return IdentityFailure::kMalformed;
    const auto* alg = header->if_contains("alg");
    if (alg == nullptr || !alg->is_string() || (alg->as_string() != "RS256" && alg->as_string() != "ES256"))
        return IdentityFailure::kAlgorithmNotAllowed;
    if (header->contains("crit")) return IdentityFailure::kMalformed;  // extensions we do not know
    std::string_view kid;
    if (const auto* kidValue = header->if_contains("kid")) {
        if (!kidValue->is_string()) return IdentityFailure::kMalformed;
        kid = kidValue->as_string();
    }
    const VerificationKey* key = keyFor(kid);
    if (key == nullptr) return IdentityFailure::kUnknownKey;
    if (key->alg != alg->as_string()) return IdentityFailure::kAlgorithmNotAllowed;

    const std::string text(token);  // libjwt wants it NUL-terminated
    jwt_t* decoded = nullptr;
    const int rc = jwt_decode(&decoded, text.c_str(), reinterpret_cast<const unsigned char*>(key->pem.data()),
                              static_cast<int>(key->pem.size()));
    std::unique_ptr<jwt_t, JwtFree> jwt(decoded);
    if (rc != 0 || !jwt) return IdentityFailure::kBadSignature;
    // libjwt's own reading of the header must agree with ours on the algorithm it checked.
    if (jwt_get_alg(jwt.get()) != libjwtAlgorithm(key->alg)) return IdentityFailure::kAlgorithmNotAllowed;

    // The claims as libjwt verified them.
    std::unique_ptr<char, CharFree> grants(jwt_get_grants_json(jwt.get(), nullptr));
    if (!grants) return IdentityFailure::kMalformed;
    boost::system::error_code ec;
    const boost::json::value parsed = boost::json::parse(grants.get(), ec);
    if (ec || !parsed.is_object()) return IdentityFailure::kMalformed;
    const auto& claims = parsed.as_object();

    const double now = std::chrono::duration<double>(clock_.now().time_since_epoch()).count();
    const double leeway = static_cast<double>(kClockLeeway.count());
    const auto exp = numericClaim(claims, "exp");
    if (!exp || now > *exp + leeway) return IdentityFailure::kExpired;
    if (claims.contains("nbf")) {
        const auto nbf = numericClaim(claims, "nbf");
        if (!nbf || now + leeway < *nbf) return IdentityFailure::kNotYetValid;
    }
    const auto* iss = claims.if_contains("iss");
    if (iss == nullptr || !iss->is_string() || iss->as_string() != settings_.issuer)
        return IdentityFailure::kWrongIssuer;
    if (!hasAudience(claims.if_contains("aud"), settings_.audience)) return IdentityFailure::kWrongAudience;

    // The same normalisation as the booking's, so "900127-01-5527" is the person "900127015527".
    const auto* sub = claims.if_contains("sub");
    if (sub == nullptr || !sub->is_string()) return IdentityFailure::kSubjectMismatch;
    const auto subject = domain::parsePersonId(sub->as_string());
    const auto asked = domain::parsePersonId(personId);
    const auto* subjectId = std::get_if<domain::PersonId>(&subject);
    const auto* askedId = std::get_if<domain::PersonId>(&asked);
    if (subjectId == nullptr || askedId == nullptr || subjectId->value != askedId->value) {
        if (spdlog::should_log(spdlog::level::debug)) {
            spdlog::debug("identity: token for {} used for {}", domain::maskPersonal(sub->as_string()),
                          domain::maskPersonal(personId));
        }
        return IdentityFailure::kSubjectMismatch;
    }
    return std::nullopt;
}

}  // namespace jkjav::identity
