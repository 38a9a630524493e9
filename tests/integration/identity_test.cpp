// Booking and the waitlist with an identity provider configured (IDENTITY_JWKS_FILE): a bearer
// token for the very person is required, against the real server and a real Redis.
#include "server_suite.hpp"
#include "test_identity_provider.hpp"

namespace jkjav::testing {
namespace {

constexpr const char* kPhone = "012-3456789";

class Identity : public ServerSuite {
  protected:
    static void SetUpTestSuite() {
        provider_ = std::make_unique<TestIdentityProvider>();
        dir_ = std::make_unique<TempDir>();
        startServers(kTestCampaign, std::map<std::string, std::string>{
                                        {"IDENTITY_JWKS_FILE", dir_->write("jwks.json", provider_->jwks())},
                                        {"IDENTITY_ISSUER", TestIdentityProvider::kIssuer},
                                        {"IDENTITY_AUDIENCE", TestIdentityProvider::kAudience},
                                        {"RATE_LIMIT_LOOKUPS_PER_IP", "0"},
                                    });
    }
    static void TearDownTestSuite() {
        ServerSuite::TearDownTestSuite();
        provider_.reset();
    }

    static std::string code(const HttpReply& reply) {
        const auto json = reply.json();
        return json.is_object() && json.as_object().contains("code")
                   ? std::string(json.at("code").as_string())
                   : "";
    }
    HttpReply book(const std::string& body, const std::string& token) {
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return client_.request("POST", "/booking", body, headers);
    }

    static inline std::unique_ptr<TestIdentityProvider> provider_;
    HttpClient client_{server_->port()};
};

TEST_F(Identity, ABookingWithoutATokenIsRefused) {
    const std::string id = myKadFor(1);
    const auto reply = book(bookingBody(id, "PWTC", "20210520"), "");
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(code(reply), "UNAUTHENTICATED");
    EXPECT_EQ(reply.header("www-authenticate"), R"(Bearer realm="jkjav")");
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + id}), "0");
}

TEST_F(Identity, AnotherPersonsTokenCannotBookForThisOne) {
    const std::string id = myKadFor(2);
    const auto reply = book(bookingBody(id, "PWTC", "20210520"), provider_->token(myKadFor(3)));
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(code(reply), "IDENTITY_MISMATCH");
    EXPECT_EQ(reply.header("www-authenticate"), R"(Bearer realm="jkjav", error="invalid_token")");
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + id}), "0");
}

TEST_F(Identity, AForgedTokenIsRefused) {
    const std::string id = myKadFor(4);
    const auto reply = book(bookingBody(id, "PWTC", "20210520"),
                            provider_->sign("none", TestIdentityProvider::kRsaKid,
                                            R"({"sub":")" + id +
                                                R"(","iss":"https://id.test.my","aud":"jkjav",)"
                                                R"("exp":9999999999})"));
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(code(reply), "UNAUTHENTICATED");
}

TEST_F(Identity, ThePersonsOwnTokenBooks) {
    // The token names the id in another spelling than the form: both are normalised.
    const auto reply =
        book(bookingBody("410102-01-0001", "PWTC", "20210520"), provider_->token("410102010001"));
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(redis().command({"HGET", "jkjav:booking:410102010001", "slot"}), "PWTC:20210520");
}

TEST_F(Identity, TheWaitlistAsksForTheTokenToo) {
    const std::string holder = myKadFor(10), waiter = myKadFor(11);
    ASSERT_EQ(book(bookingBody(holder, "ONE", "20210601"), provider_->token(holder)).status, 200);
    std::string body = bookingBody(waiter, "ONE", "20210601", kPhone);
    body.back() = ',';
    ASSERT_EQ(book(body + R"("waitlist":true})", provider_->token(waiter)).status, 202);

    const std::string target = "/waitlist/" + waiter + "?phoneNumber=" + kPhone;
    EXPECT_EQ(code(client_.get(target)), "UNAUTHENTICATED");
    const auto other = client_.get(target, {{"Authorization", "Bearer " + provider_->token(holder)}});
    EXPECT_EQ(other.status, 401);
    EXPECT_EQ(code(other), "IDENTITY_MISMATCH");
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:lookupfail:" + waiter}), "0");  // refused before the phone
    const auto own = client_.get(target, {{"Authorization", "Bearer " + provider_->token(waiter)}});
    ASSERT_EQ(own.status, 200) << own.body;
    EXPECT_EQ(own.json().at("position"), 1);
}

}  // namespace
}  // namespace jkjav::testing
