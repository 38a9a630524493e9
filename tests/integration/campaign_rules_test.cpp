// Eligibility, lookup, cancellation and the waitlist, against the real server and a real Redis.
#include <thread>

#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

const char* kSeniorsCampaign = R"({
  "name": "seniors", "eligibility": {"minAgeYears": 60, "referenceDate": "20210526"},
  "locations": [
    {"code": "PWTC", "dates": {"from": "20210516", "to": "20210520"}, "capacityPerDay": 100},
    {"code": "ONE", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "OTHER", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "RACE", "dates": [{"date": "20210601", "capacity": 5}]},
    {"code": "QUEUE", "dates": [{"date": "20210601", "capacity": 1}]}
  ]
})";

class CampaignRules : public ServerSuite {
  protected:
    static void SetUpTestSuite() { startServers(kSeniorsCampaign); }

    static std::string code(const HttpReply& reply) {
        const auto json = reply.json();
        return json.is_object() && json.as_object().contains("code")
                   ? std::string(json.at("code").as_string())
                   : "";
    }
    static std::string waitlistBody(const std::string& id, const std::string& location) {
        std::string body = bookingBody(id, location, "20210601");
        body.back() = ',';
        return body + R"("waitlist":true})";
    }
    static std::string heldSlot(const std::string& id) {
        const auto slot = redis_->probe().command({"HGET", "jkjav:booking:" + id, "slot"}).value_or("");
        return slot == "(nil)" ? "" : slot;
    }
    HttpClient client_{server_->port()};
};

TEST_F(CampaignRules, OnlyThoseOldEnoughMayBook) {
    const auto young = client_.postJson("/booking", bookingBody("900127015527", "PWTC", "20210516"));
    EXPECT_EQ(young.status, 403);
    EXPECT_EQ(code(young), "NOT_ELIGIBLE");
    const auto passport = client_.postJson("/booking", bookingBody("A12345678", "PWTC", "20210516"));
    EXPECT_EQ(passport.status, 403);
    EXPECT_EQ(code(passport), "NOT_ELIGIBLE");
    EXPECT_EQ(client_.postJson("/booking", bookingBody("610526010001", "PWTC", "20210516")).status,
              200);  // 60 today
    EXPECT_EQ(redis_->probe().command({"EXISTS", "jkjav:booking:900127015527"}), "0");
}

TEST_F(CampaignRules, APersonFindsTheirBookingWithTheirPhoneNumber) {
    const std::string id = myKadFor(1);
    const auto booked = client_.postJson("/booking", bookingBody(id, "PWTC", "20210517", "+6012-345 6789"));
    ASSERT_EQ(booked.status, 200);
    const auto found = client_.get("/booking/500101%2D00-0001?phoneNumber=+60123456789");  // escaped '-' too
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(found.json().at("reference"), booked.json().at("reference"));
    EXPECT_EQ(found.header("cache-control"), "no-store");

    const auto wrongPhone = client_.get("/booking/" + id + "?phoneNumber=0199999999");
    const auto nobody = client_.get("/booking/" + myKadFor(999) + "?phoneNumber=60123456789");
    EXPECT_EQ(wrongPhone.status, 404);
    EXPECT_EQ(nobody.status, 404);
    EXPECT_EQ(wrongPhone.body, nobody.body);               // the two look exactly alike
    EXPECT_EQ(client_.get("/booking/" + id).status, 400);  // no phone number
    EXPECT_EQ(code(client_.get("/booking/12?phoneNumber=0123456789")), "INVALID_REQUEST");
}

TEST_F(CampaignRules, CancellingGivesTheSlotBackAndEmitsAnEvent) {
    const std::string id = myKadFor(2);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(id, "PWTC", "20210518")).status, 200);
    const long long before = remaining("PWTC:20210518");
    const long long events = redis_->probe().integer({"XLEN", "jkjav:outbox"});

    const auto cancelled = client_.request("DELETE", "/booking/" + id + "?phoneNumber=0123456789", "", {});
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(cancelled.json().at("date"), "20210518");
    EXPECT_EQ(remaining("PWTC:20210518"), before + 1);
    EXPECT_EQ(redis_->probe().integer({"XLEN", "jkjav:outbox"}), events + 1);
    EXPECT_EQ(client_.request("DELETE", "/booking/" + id + "?phoneNumber=0123456789", "", {}).status, 404);
    EXPECT_EQ(client_.get("/booking/" + id + "?phoneNumber=0123456789").status, 404);
    EXPECT_EQ(client_.request("DELETE", "/booking/" + myKadFor(3) + "?phoneNumber=0123456789", "", {}).status,
              404);
    EXPECT_EQ(remaining("PWTC:20210518"), before + 1);  // nothing more
    // With the old booking gone, the person may book again.
    EXPECT_EQ(client_.postJson("/booking", bookingBody(id, "PWTC", "20210519")).status, 200);
}

TEST_F(CampaignRules, TheFirstPersonWaitingGetsACancelledSlot) {
    const std::string holder = myKadFor(10), first = myKadFor(11), second = myKadFor(12);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(holder, "ONE", "20210601")).status, 200);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(myKadFor(13), "OTHER", "20210601")).status, 200);

    EXPECT_EQ(code(client_.postJson("/booking", bookingBody(first, "ONE", "20210601"))), "FULL");
    const auto one = client_.postJson("/booking", waitlistBody(first, "ONE"));
    ASSERT_EQ(one.status, 202) << one.body;
    EXPECT_EQ(one.json().at("code"), "WAITLISTED");
    EXPECT_EQ(one.json().at("position"), 1);
    EXPECT_EQ(client_.postJson("/booking", waitlistBody(second, "ONE")).json().at("position"), 2);
    EXPECT_EQ(client_.postJson("/booking", waitlistBody(first, "ONE")).json().at("position"), 1);  // a repeat
    EXPECT_EQ(code(client_.postJson("/booking", waitlistBody(first, "OTHER"))), "ALREADY_WAITLISTED");
    EXPECT_EQ(code(client_.postJson("/booking", waitlistBody(holder, "OTHER"))), "ALREADY_BOOKED");

    const long long events = redis_->probe().integer({"XLEN", "jkjav:outbox"});
    const std::string holderReference(
        client_.get("/booking/" + holder + "?phoneNumber=0123456789").json().at("reference").as_string());
    ASSERT_EQ(client_.request("DELETE", "/booking/" + holder + "?phoneNumber=0123456789", "", {}).status,
              200);
    EXPECT_EQ(remaining("ONE:20210601"), 0);  // the slot moved from holder to first
    EXPECT_EQ(redis_->probe().integer({"XLEN", "jkjav:outbox"}), events + 2);  // cancelled + created
    const auto promoted = client_.get("/booking/" + first + "?phoneNumber=0123456789");
    ASSERT_EQ(promoted.status, 200);
    EXPECT_EQ(promoted.json().at("location"), "ONE");
    EXPECT_TRUE(promoted.json().at("reference").as_string().starts_with("JK"));

    // The two events, oldest first: the holder's cancellation, then the booking of the first waiting.
    const auto newest = redis_->probe().newestEntries("jkjav:outbox", 2);
    ASSERT_EQ(newest.size(), 2u);
    const auto& cancelledEvent = newest[1];
    const auto& createdEvent = newest[0];
    EXPECT_EQ(cancelledEvent.at("type"), "booking.cancelled");
    EXPECT_EQ(cancelledEvent.at("mysejahteraId"), holder);  // the event's key in Kafka
    EXPECT_EQ(cancelledEvent.at("reference"), holderReference);
    EXPECT_EQ(cancelledEvent.at("location"), "ONE");
    EXPECT_EQ(cancelledEvent.at("date"), "20210601");
    EXPECT_EQ(cancelledEvent.at("phoneNumber"), "+60123456789");
    EXPECT_EQ(createdEvent.at("type"), "booking.created");
    EXPECT_EQ(createdEvent.at("mysejahteraId"), first);
    EXPECT_EQ(createdEvent.at("reference"), std::string(promoted.json().at("reference").as_string()));
    EXPECT_NE(createdEvent.at("reference"), holderReference);
    EXPECT_EQ(createdEvent.at("location"), "ONE");
    EXPECT_EQ(createdEvent.at("date"), "20210601");
    EXPECT_EQ(createdEvent.at("firstName"), "Siti");
    EXPECT_EQ(createdEvent.at("phoneNumber"), "+60123456789");
    EXPECT_EQ(createdEvent.at("occurredAt"), cancelledEvent.at("occurredAt"));  // one script, one moment

    ASSERT_EQ(client_.request("DELETE", "/booking/" + first + "?phoneNumber=0123456789", "", {}).status, 200);
    EXPECT_EQ(heldSlot(second), "ONE:20210601");
    ASSERT_EQ(client_.request("DELETE", "/booking/" + second + "?phoneNumber=0123456789", "", {}).status,
              200);
    EXPECT_EQ(remaining("ONE:20210601"), 1);  // nobody waiting: back to the counter
}

TEST_F(CampaignRules, BookingElsewhereGivesUpAWaitlistPlace) {
    const std::string person = myKadFor(20);
    ASSERT_EQ(client_.postJson("/booking", bookingBody(myKadFor(21), "PWTC", "20210520")).status, 200);
    // QUEUE is this test's own: fill it, then queue.
    ASSERT_EQ(client_.postJson("/booking", bookingBody(myKadFor(22), "QUEUE", "20210601")).status, 200);
    ASSERT_EQ(client_.postJson("/booking", waitlistBody(person, "QUEUE")).status, 202);
    ASSERT_EQ(redis_->probe().command({"LPOS", "jkjav:waitlist:QUEUE:20210601", person}), "0");
    ASSERT_EQ(client_.postJson("/booking", bookingBody(person, "PWTC", "20210520")).status, 200);
    EXPECT_EQ(redis_->probe().command({"EXISTS", "jkjav:waiting:" + person}), "0");
    EXPECT_EQ(redis_->probe().command({"LPOS", "jkjav:waitlist:QUEUE:20210601", person}), "(nil)");
}

TEST_F(CampaignRules, CancellationsAndWaitlistJoinsRacingNeverBreakTheCount) {
    constexpr int kCapacity = 5, kNewcomers = 60;
    std::vector<std::string> holders;
    for (int i = 0; i < kCapacity; ++i) {
        holders.push_back(myKadFor(1000 + i));
        ASSERT_EQ(client_.postJson("/booking", bookingBody(holders.back(), "RACE", "20210601")).status, 200);
    }
    // Three wait before the race: the first three cancellations must hand them the slot.
    std::vector<std::string> early;
    for (int i = 0; i < 3; ++i) {
        early.push_back(myKadFor(1100 + i));
        const auto waiting = client_.postJson("/booking", waitlistBody(early.back(), "RACE"));
        ASSERT_EQ(waiting.status, 202) << waiting.body;
        ASSERT_EQ(waiting.json().at("position"), i + 1);
    }
    std::vector<std::thread> threads;
    for (const auto& holder : holders) {
        threads.emplace_back([&, holder] {
            HttpClient client(server_->port());
            client.request("DELETE", "/booking/" + holder + "?phoneNumber=0123456789", "", {});
        });
    }
    for (int t = 0; t < 10; ++t) {
        threads.emplace_back([&, t] {
            HttpClient client(server_->port());
            for (int i = t; i < kNewcomers; i += 10) {
                client.postJson("/booking", waitlistBody(myKadFor(2000 + i), "RACE"));
                if (i % 7 == 0)
                    client.request("DELETE", "/booking/" + myKadFor(2000 + i) + "?phoneNumber=0123456789", "",
                                   {});
            }
        });
    }
    for (auto& thread : threads) thread.join();

    int holding = 0;
    for (int i = 0; i < kNewcomers; ++i) {
        const std::string person = myKadFor(2000 + i);
        const bool booked = heldSlot(person) == "RACE:20210601";
        holding += booked;
        // Nobody both holds the slot and waits for it.
        EXPECT_FALSE(booked && redis_->probe().command({"EXISTS", "jkjav:waiting:" + person}) == "1")
            << person;
    }
    for (const auto& holder : holders) EXPECT_EQ(heldSlot(holder), "");
    // The promotions happened: everyone who waited before the race now holds the slot.
    for (const auto& person : early) {
        EXPECT_EQ(heldSlot(person), "RACE:20210601") << person;
        EXPECT_EQ(redis_->probe().command({"EXISTS", "jkjav:waiting:" + person}), "0") << person;
    }
    const long long left = remaining("RACE:20210601");
    EXPECT_GE(left, 0);
    EXPECT_LE(left, kCapacity - 3);
    // Every seat is either held or free: none lost, none made up.
    EXPECT_EQ(holding + static_cast<int>(early.size()) + left, kCapacity);
}

}  // namespace
}  // namespace jkjav::testing
