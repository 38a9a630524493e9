// JwtIdentityVerifier over a table of named tokens, all made in the test with fresh keys
// (TestIdentityProvider), and the key files it is built from (JWKS and PEM).
#include "adapters/identity/jwt_identity_verifier.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <ostream>

#include "adapters/identity/identity_keys.hpp"
#include "adapters/text/base64url.hpp"
#include "case_names.hpp"
#include "test_identity_provider.hpp"

namespace jkjav::app {
// A failing case prints the failure by name, not as bytes.
inline void PrintTo(IdentityFailure failure, std::ostream* out) {
    static constexpr const char* kNames[] = {
        "kMissing", "kMalformed",   "kAlgorithmNotAllowed", "kUnknownKey",    "kBadSignature",
        "kExpired", "kNotYetValid", "kWrongIssuer",         "kWrongAudience", "kSubjectMismatch"};
    *out << kNames[static_cast<int>(failure)];
}
}  // namespace jkjav::app

namespace jkjav::identity {
namespace {

using app::IdentityFailure;
using testing::TestIdentityProvider;
using Provider = TestIdentityProvider;
using std::chrono::seconds;

constexpr const char* kPerson = "900127015527";

class FixedClock final : public app::Clock {
  public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override { return now_; }
    std::chrono::system_clock::time_point now_ =
        std::chrono::system_clock::time_point(std::chrono::seconds(1'622'000'000));  // May 2021
};

const FixedClock& clock() {
    static const FixedClock fixed;
    return fixed;
}

// One provider for the whole file: making RSA keys takes a moment.
const Provider& provider() {
    static const Provider made;
    return made;
}

long long at(long long offsetSeconds) { return testing::epochSeconds(clock().now()) + offsetSeconds; }

// Claims that pass, with `change` applied (a null value removes the claim).
std::string claims(const boost::json::object& change = {}) {
    boost::json::object claims{
        {"sub", kPerson}, {"iss", Provider::kIssuer}, {"aud", Provider::kAudience}, {"exp", at(600)}};
    for (const auto& [name, value] : change) {
        if (value.is_null()) {
            claims.erase(name);
        } else {
            claims[name] = value;
        }
    }
    return boost::json::serialize(claims);
}

std::string tamperPayload(const std::string& token) {
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    return token.substr(0, first + 1) + text::encodeBase64Url(claims({{"sub", "850101015555"}})) +
           token.substr(second);
}

struct TokenCase {
    std::string label;
    std::function<std::string()> token;
    std::optional<IdentityFailure> expected;  // nullopt: accepted
    std::string personId = kPerson;
};

std::ostream& operator<<(std::ostream& out, const TokenCase& c) { return out << c.label; }

const char* rsa = Provider::kRsaKid;
const char* ec = Provider::kEcKid;

const TokenCase kTokenCases[] = {
    {"ValidRs256", [] { return provider().sign("rsa", rsa, claims()); }, std::nullopt},
    {"ValidEs256", [] { return provider().sign("ec", ec, claims()); }, std::nullopt},
    {"SubInAnotherSpellingOfTheSameId",
     [] {
         return provider().sign("rsa", rsa, claims({{"sub", "900127-01-5527"}}));
     },
     std::nullopt},
    {"AskedIdInAnotherSpelling", [] { return provider().sign("rsa", rsa, claims()); }, std::nullopt,
     "900127-01-5527"},
    {"AudArrayContainingOurs",
     [] {
         return provider().sign("rsa", rsa,
                                claims({{"aud", boost::json::array{"other", Provider::kAudience}}}));
     },
     std::nullopt},
    {"ExpiredWithinLeeway",
     [] {
         return provider().sign("rsa", rsa, claims({{"exp", at(-10)}}));
     },
     std::nullopt},
    {"NbfPassed",
     [] {
         return provider().sign("rsa", rsa, claims({{"nbf", at(-60)}}));
     },
     std::nullopt},
    {"NoToken", [] { return std::string(); }, IdentityFailure::kMissing},
    {"WrongSignature", [] { return provider().sign("other-rsa", rsa, claims()); },
     IdentityFailure::kBadSignature},
    {"TamperedPayload", [] { return tamperPayload(provider().sign("rsa", rsa, claims())); },
     IdentityFailure::kBadSignature},
    {"AlgNone", [] { return provider().sign("none", rsa, claims()); }, IdentityFailure::kAlgorithmNotAllowed},
    {"Hs256WithThePublicKeyAsSecret", [] { return provider().sign("hs256-public-pem", rsa, claims()); },
     IdentityFailure::kAlgorithmNotAllowed},
    {"Es256NamingTheRsaKey", [] { return provider().sign("ec", rsa, claims()); },
     IdentityFailure::kAlgorithmNotAllowed},
    {"Expired",
     [] {
         return provider().sign("rsa", rsa, claims({{"exp", at(-31)}}));
     },
     IdentityFailure::kExpired},
    {"NoExp",
     [] {
         return provider().sign("rsa", rsa, claims({{"exp", nullptr}}));
     },
     IdentityFailure::kExpired},
    {"ExpNotANumber",
     [] {
         return provider().sign("rsa", rsa, claims({{"exp", "tomorrow"}}));
     },
     IdentityFailure::kExpired},
    {"NbfInFuture",
     [] {
         return provider().sign("rsa", rsa, claims({{"nbf", at(120)}}));
     },
     IdentityFailure::kNotYetValid},
    {"WrongIssuer",
     [] {
         return provider().sign("rsa", rsa, claims({{"iss", "https://evil.test"}}));
     },
     IdentityFailure::kWrongIssuer},
    {"NoIssuer",
     [] {
         return provider().sign("rsa", rsa, claims({{"iss", nullptr}}));
     },
     IdentityFailure::kWrongIssuer},
    {"WrongAudience",
     [] {
         return provider().sign("rsa", rsa, claims({{"aud", "another-service"}}));
     },
     IdentityFailure::kWrongAudience},
    {"AudArrayWithoutOurs",
     [] {
         return provider().sign("rsa", rsa, claims({{"aud", boost::json::array{"a", "b"}}}));
     },
     IdentityFailure::kWrongAudience},
    {"SubOfAnotherPerson",
     [] {
         return provider().sign("rsa", rsa, claims({{"sub", "850101015555"}}));
     },
     IdentityFailure::kSubjectMismatch},
    {"NoSub",
     [] {
         return provider().sign("rsa", rsa, claims({{"sub", nullptr}}));
     },
     IdentityFailure::kSubjectMismatch},
    {"AskedIdInvalid", [] { return provider().sign("rsa", rsa, claims()); },
     IdentityFailure::kSubjectMismatch, "not an id!"},
    {"UnknownKid", [] { return provider().sign("rsa", "rsa-2", claims()); }, IdentityFailure::kUnknownKey},
    {"NoKidWithTwoKeys", [] { return provider().sign("rsa", "", claims()); }, IdentityFailure::kUnknownKey},
    {"MalformedOnePart", [] { return std::string("abc"); }, IdentityFailure::kMalformed},
    {"MalformedFourParts", [] { return provider().sign("rsa", rsa, claims()) + ".x"; },
     IdentityFailure::kMalformed},
    {"MalformedHeaderNotJson", [] { return text::encodeBase64Url("{alg") + ".e30.c2ln"; },
     IdentityFailure::kMalformed},
    {"MalformedNotBase64", [] { return std::string("%%%.e30.c2ln"); }, IdentityFailure::kMalformed},
    {"TooLong", [] { return std::string(kMaxTokenBytes + 1, 'a'); }, IdentityFailure::kMalformed},
};

class JwtTokens : public ::testing::TestWithParam<TokenCase> {};

TEST_P(JwtTokens, AreJudged) {
    const auto keys = parseJwks(provider().jwks());
    ASSERT_TRUE(std::holds_alternative<KeySet>(keys)) << std::get<KeyError>(keys).message;
    const JwtIdentityVerifier verifier(std::get<KeySet>(keys), {Provider::kIssuer, Provider::kAudience},
                                       clock());
    const auto& c = GetParam();
    EXPECT_EQ(verifier.verify(c.token(), c.personId), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, JwtTokens, ::testing::ValuesIn(kTokenCases), testing::ByLabel());

TEST(JwtIdentityVerifier, OnePemKeyVerifiesItsOwnTokensWhateverTheirKid) {
    const auto keys = parsePublicKeyPem(provider().ecPublicPem());
    ASSERT_TRUE(std::holds_alternative<KeySet>(keys)) << std::get<KeyError>(keys).message;
    EXPECT_EQ(std::get<KeySet>(keys).keys.front().alg, "ES256");
    const JwtIdentityVerifier verifier(std::get<KeySet>(keys), {Provider::kIssuer, Provider::kAudience},
                                       clock());
    EXPECT_EQ(verifier.verify(provider().sign("ec", "", claims()), kPerson), std::nullopt);
    EXPECT_EQ(verifier.verify(provider().sign("ec", "any", claims()), kPerson), std::nullopt);
    EXPECT_EQ(verifier.verify(provider().sign("rsa", "", claims()), kPerson),
              IdentityFailure::kAlgorithmNotAllowed);
}

TEST(IdentityKeys, AJwksGivesEachKeyItsOneAlgorithm) {
    const auto keys = parseJwks(provider().jwks());
    ASSERT_TRUE(std::holds_alternative<KeySet>(keys)) << std::get<KeyError>(keys).message;
    const auto& set = std::get<KeySet>(keys);
    ASSERT_EQ(set.keys.size(), 2u);
    EXPECT_EQ(set.keys[0].kid, "rsa-1");
    EXPECT_EQ(set.keys[0].alg, "RS256");
    EXPECT_EQ(set.keys[1].kid, "ec-1");
    EXPECT_EQ(set.keys[1].alg, "ES256");
    EXPECT_EQ(set.keys[1].pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
}

TEST(IdentityKeys, EncryptionAndForeignKeysAreSkipped) {
    auto set = boost::json::parse(provider().jwks()).as_object();
    auto& keys = set["keys"].as_array();
    keys.push_back({{"kty", "RSA"}, {"use", "enc"}, {"n", "AQAB"}, {"e", "AQAB"}});
    keys.push_back({{"kty", "oct"}, {"k", "c2VjcmV0"}});
    const auto parsed = parseJwks(boost::json::serialize(set));
    ASSERT_TRUE(std::holds_alternative<KeySet>(parsed)) << std::get<KeyError>(parsed).message;
    EXPECT_EQ(std::get<KeySet>(parsed).keys.size(), 2u);
    EXPECT_EQ(std::get<KeySet>(parsed).skipped, 2u);
}

struct BadKeys {
    std::string label;
    std::string text;
    bool jwks = true;
};
std::ostream& operator<<(std::ostream& out, const BadKeys& c) { return out << c.label; }

class BadKeyFiles : public ::testing::TestWithParam<BadKeys> {};

TEST_P(BadKeyFiles, AreRefusedWithAReason) {
    const auto& c = GetParam();
    const auto parsed = c.jwks ? parseJwks(c.text) : parsePublicKeyPem(c.text);
    ASSERT_TRUE(std::holds_alternative<KeyError>(parsed));
    EXPECT_FALSE(std::get<KeyError>(parsed).message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadKeyFiles,
    ::testing::Values(
        BadKeys{"NotJson", "{keys"}, BadKeys{"NoKeysArray", R"({"kty":"RSA"})"},
        BadKeys{"NoUsableKey", R"({"keys":[{"kty":"oct","k":"AA"}]})"},
        BadKeys{"RsaWithoutModulus", R"({"keys":[{"kty":"RSA","e":"AQAB"}]})"},
        BadKeys{"SmallRsa", R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})"},
        BadKeys{"EcOnAnotherCurve", R"({"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]})"},
        BadKeys{"EcPointNotOnCurve", R"({"keys":[{"kty":"EC","crv":"P-256","x":")" + std::string(43, 'A') +
                                         R"(","y":")" + std::string(42, 'A') + R"(E"}]})"},
        BadKeys{"NotPem", "hello", false},
        BadKeys{"PrivateKeyIsNoPublicKey", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
                false}),
    testing::ByLabel());

TEST(IdentityKeys, AnUnreadableFileIsAnError) {
    const auto parsed = loadJwksFile("/nonexistent/jwks.json");
    ASSERT_TRUE(std::holds_alternative<KeyError>(parsed));
    EXPECT_NE(std::get<KeyError>(parsed).message.find("/nonexistent/jwks.json"), std::string::npos);
}

TEST(Base64Url, RoundTripsAndRefusesOtherAlphabets) {
    for (const std::string bytes : {"", "f", "fo", "foo", "foob", "\xff\xfe\x00 bin"}) {
        EXPECT_EQ(text::decodeBase64Url(text::encodeBase64Url(bytes)), bytes);
    }
    EXPECT_EQ(text::encodeBase64Url("\xfb\xff"), "-_8");
    EXPECT_EQ(text::decodeBase64Url("ab+/"), std::nullopt);
    EXPECT_EQ(text::decodeBase64Url("YQ=="), std::nullopt);
    EXPECT_EQ(text::decodeBase64Url("abcde"), std::nullopt);
}

}  // namespace
}  // namespace jkjav::identity
