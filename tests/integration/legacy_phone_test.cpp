// Bookings stored before phone numbers were E.164 hold the number as it was typed, minus spaces and
// dashes. Written straight into Redis here, they are still found and cancelled with any writing of
// the same number, and answered in E.164.
#include "case_names.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

constexpr const char* kSlot = "PWTC:20210520";

class LegacyPhone : public ServerSuite {
  protected:
    // A booking as the server stored it before E.164, with its seat taken from the counter.
    static void storeLegacyBooking(const std::string& id, const std::string& storedPhone) {
        ASSERT_EQ(redis().command({"HSET",          "jkjav:booking:" + id,
                                   "slot",          kSlot,
                                   "mysejahteraId", id,
                                   "firstName",     "Siti",
                                   "lastName",      "Aminah",
                                   "address",       "Jalan Ampang",
                                   "location",      "PWTC",
                                   "phoneNumber",   storedPhone,
                                   "date",          "20210520",
                                   "reference",     "JK9" + id.substr(6),
                                   "createdAt",     "2021-05-20T01:02:03Z"}),
                  "10");
        ASSERT_GE(redis().integer({"HINCRBY", "jkjav:slots", kSlot, "-1"}), 0);
    }
    static std::string lastEventPhone() {
        return redis()
            .command({"EVAL",
                      "local e = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1][2] "
                      "for i = 1, #e, 2 do if e[i] == 'phoneNumber' then return e[i + 1] end end",
                      "1", "jkjav:outbox"})
            .value_or("");
    }
    HttpClient client_{port()};
};

struct LegacyCase {
    const char* label;
    int person;
    const char* stored;   // as a pre-E.164 server stored it
    const char* queried;  // as the person writes it now, URL-encoded
    const char* answered;
};

void PrintTo(const LegacyCase& c, std::ostream* os) {
    *os << c.label << ": person " << c.person << ", stored " << c.stored << ", asked " << c.queried
        << ", answered " << c.answered;
}

class LegacyPhoneLookup : public LegacyPhone, public ::testing::WithParamInterface<LegacyCase> {};

TEST_P(LegacyPhoneLookup, FindsTheBookingWithAnyWritingOfTheNumber) {
    const std::string id = myKadFor(GetParam().person);
    storeLegacyBooking(id, GetParam().stored);
    const auto found = client_.get("/booking/" + id + "?phoneNumber=" + GetParam().queried);
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(found.json().at("phoneNumber"), GetParam().answered);
    EXPECT_EQ(std::string(found.json().at("mysejahteraId").as_string()), id);
}

INSTANTIATE_TEST_SUITE_P(
    LegacyPhones, LegacyPhoneLookup,
    ::testing::Values(LegacyCase{"national_stored_international_asked", 101, "0123456789",
                                 "%2B60%2012-345%206789", "+60123456789"},
                      LegacyCase{"international_stored_national_asked", 102, "+60123456789", "012-345%206789",
                                 "+60123456789"},
                      LegacyCase{"no_plus_stored", 103, "60123456789", "0123456789", "+60123456789"},
                      LegacyCase{"no_trunk_zero_stored", 104, "123456789", "%2B60123456789", "+60123456789"},
                      LegacyCase{"landline_stored", 105, "0321234567", "03-2123%204567", "+60321234567"},
                      // Not a valid number today, but a booking may hold it: found as it was stored.
                      LegacyCase{"invalid_number_stored", 106, "123456789012", "123-456789012",
                                 "123456789012"}),
    ByLabel());

TEST_F(LegacyPhone, AnotherNumberStillFindsNothing) {
    const std::string id = myKadFor(110);
    storeLegacyBooking(id, "0123456789");
    const auto wrong = client_.get("/booking/" + id + "?phoneNumber=0123456780");
    const auto nobody = client_.get("/booking/" + myKadFor(111) + "?phoneNumber=0123456789");
    EXPECT_EQ(wrong.status, 404);
    EXPECT_EQ(wrong.body, nobody.body);
}

TEST_F(LegacyPhone, CancelsWithTheE164FormAndReleasesTheSeat) {
    const std::string id = myKadFor(120);
    storeLegacyBooking(id, "0123456789");
    const long long before = remaining(kSlot);
    const long long events = redis().integer({"XLEN", "jkjav:outbox"});

    EXPECT_EQ(client_.request("DELETE", "/booking/" + id + "?phoneNumber=0199999999", "", {}).status, 404);
    const auto cancelled =
        client_.request("DELETE", "/booking/" + id + "?phoneNumber=%2B60123456789", "", {});
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(cancelled.json().at("phoneNumber"), "+60123456789");
    EXPECT_EQ(remaining(kSlot), before + 1);
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + id}), "0");
    ASSERT_EQ(redis().integer({"XLEN", "jkjav:outbox"}), events + 1);
    EXPECT_EQ(lastEventPhone(), "+60123456789");  // the event carries today's form
}

TEST_F(LegacyPhone, ANewBookingIsStoredInE164) {
    const std::string id = myKadFor(130);
    const auto booked = client_.postJson("/booking", bookingBody(id, "PWTC", "20210520", "012-345 6789"));
    ASSERT_EQ(booked.status, 200) << booked.body;
    EXPECT_EQ(booked.json().at("phoneNumber"), "+60123456789");
    EXPECT_EQ(redis().command({"HGET", "jkjav:booking:" + id, "phoneNumber"}), "+60123456789");
    EXPECT_EQ(client_.get("/booking/" + id + "?phoneNumber=60123456789").status, 200);
}

}  // namespace
}  // namespace jkjav::testing
