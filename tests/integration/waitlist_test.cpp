// GET and DELETE /waitlist/{mysejahteraId}: a waiting person's place, seen and given up, against
// the real server and a real Redis.
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

const char* kQueueCampaign = R"({
  "name": "waitlists",
  "locations": [
    {"code": "W1", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "W2", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "W3", "dates": [{"date": "20210601", "capacity": 1}]}
  ]
})";

constexpr const char* kPhone = "012-3456789";

class Waitlist : public ServerSuite {
  protected:
    // No per-address lookup limit here: the lock on wrong phone numbers is what is tested.
    static void SetUpTestSuite() {
        startServers(kQueueCampaign, std::map<std::string, std::string>{{"RATE_LIMIT_LOOKUPS_PER_IP", "0"},
                                                                        {"LOOKUP_FAILURE_LIMIT", "5"}});
    }

    static std::string code(const HttpReply& reply) {
        const auto json = reply.json();
        return json.is_object() && json.as_object().contains("code")
                   ? std::string(json.at("code").as_string())
                   : "";
    }
    HttpReply join(const std::string& id, const std::string& location) {
        std::string body = bookingBody(id, location, "20210601", kPhone);
        body.back() = ',';
        return client_.postJson("/booking", body + R"("waitlist":true})");
    }
    static std::string place(const std::string& id, const std::string& phone = kPhone) {
        return "/waitlist/" + id + "?phoneNumber=" + phone;
    }
    HttpReply leave(const std::string& id, const std::string& phone = kPhone) {
        return client_.request("DELETE", place(id, phone), "", {});
    }

    HttpClient client_{server_->port()};
};

TEST_F(Waitlist, WaitersSeeTheirPlaceLeaveItAndTheNextIsPromoted) {
    const std::string holder = myKadFor(1), first = myKadFor(2), second = myKadFor(3);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(holder, "W1", "20210601", kPhone)).status, 200);
    ASSERT_EQ(join(first, "W1").status, 202);
    ASSERT_EQ(join(second, "W1").status, 202);

    const auto seen = client_.get(place(first));
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(seen.json().at("location"), "W1");
    EXPECT_EQ(seen.json().at("date"), "20210601");
    EXPECT_EQ(seen.json().at("position"), 1);
    EXPECT_TRUE(seen.json().at("joinedAt").as_string().ends_with("Z"));
    EXPECT_EQ(seen.header("cache-control"), "no-store");
    EXPECT_EQ(client_.get(place(second)).json().at("position"), 2);

    const auto left = leave(first);
    ASSERT_EQ(left.status, 200) << left.body;
    EXPECT_EQ(left.json().at("position"), 1);  // the place as it was
    EXPECT_EQ(client_.get(place(second)).json().at("position"), 1);
    EXPECT_EQ(code(client_.get(place(first))), "NOT_FOUND");
    const auto again = leave(first);
    EXPECT_EQ(again.status, 404);
    EXPECT_EQ(code(again), "NOT_FOUND");
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:waiting:" + first}), "0");

    // A cancellation now promotes the new head, not the one who left.
    ASSERT_EQ(client_.request("DELETE", "/booking/" + holder + "?phoneNumber=" + kPhone, "", {}).status, 200);
    EXPECT_EQ(redis().command({"HGET", "jkjav:booking:" + second, "slot"}), "W1:20210601");
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + first}), "0");
    EXPECT_EQ(client_.get(place(second)).status, 404);  // holding a booking now, not waiting
    EXPECT_EQ(remaining("W1:20210601"), 0);
}

TEST_F(Waitlist, APersonWhoLeftMayJoinAgainAtTheBack) {
    const std::string holder = myKadFor(10), a = myKadFor(11), b = myKadFor(12);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(holder, "W3", "20210601", kPhone)).status, 200);
    ASSERT_EQ(join(a, "W3").status, 202);
    ASSERT_EQ(join(b, "W3").status, 202);
    ASSERT_EQ(leave(a).status, 200);
    const auto rejoined = join(a, "W3");
    ASSERT_EQ(rejoined.status, 202);
    EXPECT_EQ(rejoined.json().at("position"), 2);
    EXPECT_EQ(client_.get(place(a)).json().at("position"), 2);
}

TEST_F(Waitlist, AWrongPhoneNumberIsNotFoundAndCountsTowardTheLock) {
    const std::string holder = myKadFor(20), waiter = myKadFor(21);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(holder, "W2", "20210601", kPhone)).status, 200);
    ASSERT_EQ(join(waiter, "W2").status, 202);

    const auto wrong = client_.get(place(waiter, "0199999999"));
    EXPECT_EQ(wrong.status, 404);
    EXPECT_EQ(code(wrong), "NOT_FOUND");
    EXPECT_EQ(redis().command({"GET", "jkjav:lookupfail:" + waiter}), "1");
    EXPECT_EQ(leave(waiter, "0199999999").status, 404);  // a wrong DELETE changes nothing...
    EXPECT_EQ(client_.get(place(waiter)).json().at("position"), 1);
    EXPECT_EQ(redis().command({"GET", "jkjav:lookupfail:" + waiter}), "2");  // ...but counts

    // Booking lookups and waitlist lookups share the count: five wrong ones lock both.
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(client_.get("/booking/" + waiter + "?phoneNumber=0199999999").status, 404);
    const auto locked = client_.get(place(waiter));
    EXPECT_EQ(locked.status, 404);
    EXPECT_EQ(locked.body, wrong.body);  // the lock reads exactly as a wrong number
    EXPECT_EQ(leave(waiter).status, 404);
    EXPECT_EQ(redis().command({"LPOS", "jkjav:waitlist:W2:20210601", waiter}), "0");  // still waiting
}

TEST_F(Waitlist, InvalidCredentialsAreListed) {
    const auto reply = client_.get("/waitlist/123?phoneNumber=abc");
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(code(reply), "INVALID_REQUEST");
    EXPECT_EQ(reply.json().at("errors").as_array().size(), 2u);
    EXPECT_EQ(client_.postJson("/waitlist/" + myKadFor(30), "{}").status, 405);
}

}  // namespace
}  // namespace jkjav::testing
