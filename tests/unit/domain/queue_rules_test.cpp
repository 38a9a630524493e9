#include "domain/queue_rules.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

struct AdmitCase {
    const char* label;
    std::int64_t elapsedMs;
    double perSecond;
    double carry;
    std::int64_t remaining;
    double factor;
    std::int64_t outstanding;
    std::int64_t waiting;
    std::int64_t expectedAdmitted;
};

void PrintTo(const AdmitCase& c, std::ostream* os) {
    *os << c.label << ": " << c.elapsedMs << " ms at " << c.perSecond << "/s (carry " << c.carry << "), "
        << c.remaining << " left x " << c.factor << ", " << c.outstanding << " outstanding, " << c.waiting
        << " waiting -> " << c.expectedAdmitted;
}

class Admission : public ::testing::TestWithParam<AdmitCase> {};

TEST_P(Admission, AdmitsWhatFellDueWithinTheCap) {
    const auto& c = GetParam();
    const auto due = admissionsDue(c.elapsedMs, c.perSecond, c.carry);
    EXPECT_EQ(admitNow(due.whole, admissionCap(c.remaining, c.factor), c.outstanding, c.waiting),
              c.expectedAdmitted);
}

INSTANTIATE_TEST_SUITE_P(
    Rounds, Admission,
    ::testing::Values(AdmitCase{"QuarterSecondAt2000", 250, 2000, 0, 100000, 1.2, 0, 1000000, 500},
                      AdmitCase{"CarryCompletesAnAdmission", 100, 5, 0.6, 100, 1.2, 0, 100, 1},
                      AdmitCase{"CapOf100LeftIs120", 1000, 2000, 0, 100, 1.2, 0, 1000000, 120},
                      AdmitCase{"CapCountsOutstanding", 1000, 2000, 0, 100, 1.2, 115, 1000000, 5},
                      AdmitCase{"OverTheCapAdmitsNone", 1000, 2000, 0, 100, 1.2, 130, 1000000, 0},
                      AdmitCase{"SoldOutAdmitsNone", 1000, 2000, 0, 0, 1.2, 0, 1000000, 0},
                      AdmitCase{"NoMoreThanWaiting", 1000, 2000, 0, 100000, 1.2, 0, 7, 7},
                      AdmitCase{"CatchUpCappedAtOneSecond", 60000, 10, 0, 100000, 1.2, 0, 1000000, 10},
                      AdmitCase{"ClockBackwardsAdmitsNone", -500, 2000, 0, 100000, 1.2, 0, 1000000, 0}),
    jkjav::testing::ByLabel());

TEST(AdmissionsDue, RoundsSpacedAnyHowAddUpToTheRate) {
    // 7 per second in rounds of 13 ms: a fraction each round, the carry makes it exact.
    double carry = 0;
    std::int64_t admitted = 0;
    for (int round = 0; round < 1000; ++round) {
        const auto due = admissionsDue(13, 7, carry);
        admitted += due.whole;
        carry = due.carry;
        ASSERT_GE(carry, 0);
        ASSERT_LT(carry, 1);
    }
    // 91 over 13 s, give or take the last fraction's rounding.
    EXPECT_NEAR(static_cast<double>(admitted), 91, 1);
}

TEST(AdmissionCap, IsTheFactorTimesTheSlotsLeft) {
    EXPECT_EQ(admissionCap(100, 1.2), 120);
    EXPECT_EQ(admissionCap(1, 1.2), 1);
    EXPECT_EQ(admissionCap(20000, 1.0), 20000);
    EXPECT_EQ(admissionCap(0, 1.2), 0);
    EXPECT_EQ(admissionCap(-3, 1.2), 0);
}

struct PollCase {
    const char* label;
    std::int64_t ahead;
    double perSecond;
    std::int64_t expected;
};
void PrintTo(const PollCase& c, std::ostream* os) {
    *os << c.label << ": " << c.ahead << " ahead at " << c.perSecond << "/s -> " << c.expected << " s";
}
class Polling : public ::testing::TestWithParam<PollCase> {};
TEST_P(Polling, RareFarBackOftenNearTheHead) {
    EXPECT_EQ(pollSeconds(GetParam().ahead, GetParam().perSecond), GetParam().expected);
}
INSTANTIATE_TEST_SUITE_P(Positions, Polling,
                         ::testing::Values(PollCase{"AtTheHead", 0, 2000, 1},
                                           PollCase{"WithinASecond", 3999, 2000, 1},
                                           PollCase{"TwoSecondsBack", 8000, 2000, 2},
                                           PollCase{"FarBack", 200000, 2000, 50},
                                           PollCase{"MillionBackCapped", 1000000, 2000, kMaxPollSeconds},
                                           PollCase{"NoRateYet", 10, 0, 5}),
                         jkjav::testing::ByLabel());

TEST(Polling, AMillionInLineCostsTheDocumentedBound) {
    // Sum of 1/interval over every position: the polls a second the whole queue costs.
    const double rate = 2000;
    const std::int64_t length = 1'000'000;
    double perSecond = 0;
    for (std::int64_t ahead = 0; ahead < length; ++ahead) perSecond += 1.0 / pollSeconds(ahead, rate);
    const double bound = 2 * rate * (1 + std::log(static_cast<double>(kMaxPollSeconds))) +
                         static_cast<double>(length) / kMaxPollSeconds;
    EXPECT_LE(perSecond, bound);
    EXPECT_GT(perSecond, bound / 4);  // the bound is of the right size, not loose by orders
}

TEST(WaitEstimate, IsAheadOverTheRateRoundedUp) {
    EXPECT_EQ(estimatedWaitSeconds(0, 2000), 0);
    EXPECT_EQ(estimatedWaitSeconds(1, 2000), 1);
    EXPECT_EQ(estimatedWaitSeconds(200000, 2000), 100);
    EXPECT_EQ(estimatedWaitSeconds(10, 3), 4);
}

TEST(WaitEstimateError, IsTheMissAsAFractionOfTheEstimate) {
    EXPECT_DOUBLE_EQ(waitEstimateError(60'000, 60), 0.0);
    EXPECT_DOUBLE_EQ(waitEstimateError(90'000, 60), 0.5);
    EXPECT_DOUBLE_EQ(waitEstimateError(30'000, 60), -0.5);
    // An estimate of 0 (admitted at once) counts against a second, not a division by zero.
    EXPECT_DOUBLE_EQ(waitEstimateError(2'000, 0), 2.0);
    EXPECT_DOUBLE_EQ(waitEstimateError(-5, 10), -1.0) << "clock skew never reads below -100%";
}

TEST(AdmissionRateMeter, MeasuresOverItsWindow) {
    AdmissionRateMeter meter;
    EXPECT_FALSE(meter.perSecond().has_value());
    meter.record(0, 0);
    meter.record(500, 50);
    EXPECT_FALSE(meter.perSecond().has_value()) << "under a second of history";
    for (std::int64_t t = 1000; t <= 30000; t += 250) meter.record(t, t / 10);  // 100/s
    ASSERT_TRUE(meter.perSecond().has_value());
    EXPECT_NEAR(*meter.perSecond(), 100, 0.01);
    meter.record(30250, 3000);  // nothing admitted for a while (the cap holds) ...
    for (std::int64_t t = 30500; t <= 45000; t += 250) meter.record(t, 3000);
    ASSERT_TRUE(meter.perSecond().has_value());
    EXPECT_LT(*meter.perSecond(), 0.2)
        << "none admitted in the window: at most one per window, not the configured rate";
}

TEST(DrawKey, IsInTheUnitInterval) {
    std::mt19937_64 generator(42);
    for (int i = 0; i < 10000; ++i) {
        const double key = drawKey(generator);
        ASSERT_GE(key, 0.0);
        ASSERT_LT(key, 1.0);
    }
}

}  // namespace
}  // namespace jkjav::domain
