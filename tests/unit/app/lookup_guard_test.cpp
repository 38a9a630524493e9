#include "app/lookup_guard.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"
#include "mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::app {
namespace {

using std::chrono::seconds;
using ::testing::_;
using testing::FixedClock;
using testing::MockBookingStore;
using testing::MockLookupFailures;
using ::testing::Return;
using testing::runAwaitable;
using ::testing::StrictMock;

domain::Booking stored() {
    return {"900127015527", "Fadhil",   "Yaacob", "Kuala Lumpur",        "PWTC",
            "0123456789",   "20210516", "JK1",    "2021-05-26T01:02:03Z"};
}

class LookupGuardTest : public ::testing::Test {
  protected:
    domain::Campaign campaign_ = testing::pwtcCampaign();
    StrictMock<MockBookingStore> store_;
    StrictMock<MockLookupFailures> failures_;
    FixedClock clock_{testing::kMay26()};
    BookingService bookings_{campaign_, store_, clock_};
    LookupGuard guard_{bookings_, failures_, LookupLockPolicy{5, seconds(900), seconds(600)}};
};

// The count the guard reads decides whether the store is asked at all.
struct LockCase {
    const char* name;
    std::optional<long long> failures;  // nullopt: the store did not answer the count
    bool locked;
};

void PrintTo(const LockCase& c, std::ostream* os) {
    *os << c.name << ": failures counted ";
    if (c.failures) {
        *os << *c.failures;
    } else {
        *os << "(no answer)";
    }
    *os << " of a limit of 5 -> " << (c.locked ? "locked" : "looked up");
}

class LookupGuardLockTest : public LookupGuardTest, public ::testing::WithParamInterface<LockCase> {};

TEST_P(LookupGuardLockTest, FindAndCancelAreLockedAtTheLimitOnly) {
    const auto& param = GetParam();
    EXPECT_CALL(failures_, countNow("900127015527")).Times(2).WillRepeatedly(Return(param.failures));
    if (!param.locked) {
        EXPECT_CALL(store_, findNow("900127015527", "+60123456789"))
            .WillOnce(Return(FindResult{domain::Outcome::kFound, stored()}));
        EXPECT_CALL(store_, cancelNow("900127015527", "+60123456789", _))
            .WillOnce(Return(FindResult{domain::Outcome::kFound, stored()}));
    }
    // The right phone number, in the id's dashed form: counted under the normalised id.
    const auto found = runAwaitable(guard_.find("900127-01-5527", "012-3456789"));
    const auto cancelled = runAwaitable(guard_.cancel("900127015527", "0123456789"));
    for (const auto* outcome : {&found, &cancelled}) {
        if (param.locked) {
            ASSERT_TRUE(std::holds_alternative<BookingRefused>(*outcome));
            const auto& refused = std::get<BookingRefused>(*outcome);
            // Word for word a wrong phone number's answer: the lock tells nothing.
            EXPECT_EQ(refused.outcome, lookupNotFound().outcome);
            EXPECT_EQ(refused.message, lookupNotFound().message);
            EXPECT_TRUE(refused.errors.empty());
        } else {
            EXPECT_TRUE(std::holds_alternative<BookingFound>(*outcome));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(FailureCounts, LookupGuardLockTest,
                         ::testing::Values(LockCase{"NoFailures", 0, false},
                                           LockCase{"FourFailures", 4, false},
                                           LockCase{"FiveFailures", 5, true},
                                           LockCase{"SixFailures", 6, true},
                                           LockCase{"CountUnavailable", std::nullopt, false}),
                         jkjav::testing::ByLabel());

TEST_F(LookupGuardTest, AWrongPhoneNumberIsCountedWithThePolicy) {
    EXPECT_CALL(failures_, countNow("900127015527")).WillOnce(Return(2));
    EXPECT_CALL(store_, findNow("900127015527", "+60199999999"))
        .WillOnce(Return(FindResult{domain::Outcome::kNotFound}));
    EXPECT_CALL(failures_, recordNow("900127015527", seconds(900), 5, seconds(600)));
    const auto outcome = runAwaitable(guard_.find("900127015527", "0199999999"));
    EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, domain::Outcome::kNotFound);
}

TEST_F(LookupGuardTest, AFailedCancelIsCountedToo) {
    EXPECT_CALL(failures_, countNow("900127015527")).WillOnce(Return(0));
    EXPECT_CALL(store_, cancelNow("900127015527", "+60199999999", _))
        .WillOnce(Return(FindResult{domain::Outcome::kNotFound}));
    EXPECT_CALL(failures_, recordNow("900127015527", _, _, _));
    runAwaitable(guard_.cancel("900127015527", "0199999999"));
}

TEST_F(LookupGuardTest, AnUnavailableStoreIsNoGuess) {
    EXPECT_CALL(failures_, countNow(_)).WillOnce(Return(0));
    EXPECT_CALL(store_, findNow(_, _)).WillOnce(Return(FindResult{domain::Outcome::kStoreUnavailable}));
    const auto outcome = runAwaitable(guard_.find("900127015527", "0123456789"));
    EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, domain::Outcome::kStoreUnavailable);
}

TEST_F(LookupGuardTest, MalformedInputIsRefusedWithoutCountingOrLookingUp) {
    const auto outcome = runAwaitable(guard_.find("9001", "0123456789"));
    EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, domain::Outcome::kInvalidRequest);
}

TEST_F(LookupGuardTest, ALimitOfZeroNeverCounts) {
    LookupGuard unguarded{bookings_, failures_, LookupLockPolicy{0, seconds(900), seconds(900)}};
    EXPECT_CALL(store_, findNow(_, _)).WillOnce(Return(FindResult{domain::Outcome::kNotFound}));
    const auto outcome = runAwaitable(unguarded.find("900127015527", "0199999999"));
    EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, domain::Outcome::kNotFound);
}

TEST_F(LookupGuardTest, AWaitlistPlaceIsLockedAndCountedLikeABooking) {
    EXPECT_CALL(failures_, countNow("900127015527")).WillOnce(Return(4)).WillOnce(Return(5));
    EXPECT_CALL(store_, findPlaceNow("900127015527", "+60199999999"))
        .WillOnce(Return(WaitlistResult{domain::Outcome::kNotFound, {}}));
    EXPECT_CALL(failures_, recordNow("900127015527", seconds(900), 5, seconds(600)));
    const auto wrong = runAwaitable(guard_.findWaitlistPlace("900127-01-5527", "0199999999"));
    // Locked now: the waitlist's own NOT_FOUND, word for word, and the store is not asked to leave.
    const auto locked = runAwaitable(guard_.leaveWaitlist("900127015527", "0123456789"));
    for (const auto* outcome : {&wrong, &locked}) {
        ASSERT_TRUE(std::holds_alternative<BookingRefused>(*outcome));
        EXPECT_EQ(std::get<BookingRefused>(*outcome).outcome, domain::Outcome::kNotFound);
        EXPECT_EQ(std::get<BookingRefused>(*outcome).message, waitlistNotFound().message);
    }
}

TEST_F(LookupGuardTest, LeavingAnswersThePlaceAsItWas) {
    EXPECT_CALL(failures_, countNow(_)).WillOnce(Return(0));
    EXPECT_CALL(store_, leaveNow("900127015527", "+60123456789"))
        .WillOnce(Return(
            WaitlistResult{domain::Outcome::kCancelled, {"PWTC", "20210516", 2, "2021-05-26T01:02:03Z"}}));
    const auto outcome = runAwaitable(guard_.leaveWaitlist("900127015527", "012-3456789"));
    ASSERT_TRUE(std::holds_alternative<WaitlistPlace>(outcome));
    EXPECT_EQ(std::get<WaitlistPlace>(outcome).position, 2);
    EXPECT_EQ(std::get<WaitlistPlace>(outcome).location, "PWTC");
}

}  // namespace
}  // namespace jkjav::app
