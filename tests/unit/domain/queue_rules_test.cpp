#include "domain/queue_rules.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

// The admission round itself (what falls due, the carry, the cap, the catch-up limit) is
// admit.lua's: tests/adapters/queue_store_test.cpp (AdmitLua) runs it on a real Redis.

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
    std::int64_t sellOutSeconds;
    std::int64_t expected;
};
void PrintTo(const PollCase& c, std::ostream* os) {
    *os << c.label << ": " << c.ahead << " ahead at " << c.perSecond << "/s, sold out in " << c.sellOutSeconds
        << " s -> " << c.expected << " s";
}
class Polling : public ::testing::TestWithParam<PollCase> {};
TEST_P(Polling, RareFarBackOftenNearTheHeadOrTheSellOut) {
    const auto& c = GetParam();
    EXPECT_EQ(pollSeconds(c.ahead, c.perSecond, c.sellOutSeconds), c.expected);
}
constexpr std::int64_t kFar = kNeverSellsOutSeconds;
INSTANTIATE_TEST_SUITE_P(
    Positions, Polling,
    ::testing::Values(PollCase{"AtTheHead", 0, 2000, kFar, 1}, PollCase{"WithinASecond", 3999, 2000, kFar, 1},
                      PollCase{"TwoSecondsBack", 8000, 2000, kFar, 2},
                      PollCase{"FarBack", 200000, 2000, kFar, 50},
                      PollCase{"MillionBackCapped", 1000000, 2000, kFar, kMaxPollSeconds},
                      PollCase{"NoRateYet", 10, 0, kFar, 5},
                      // Sell-out near: never more than half the time until the queue could close.
                      PollCase{"FarBackSellOutInAMinute", 200000, 2000, 60, 30},
                      PollCase{"MillionBackSellOutIn10s", 1000000, 2000, 10, 5},
                      PollCase{"LittleLeftEveryoneEverySecond", 1000000, 2000, 3, 1},
                      PollCase{"SoldOutNow", 200000, 2000, 0, 1},
                      PollCase{"SellOutFartherThanTheWait", 8000, 2000, 100, 2}),
    jkjav::testing::ByLabel());

TEST(SellOut, IsTheSlotsLeftAtTheDrainRate) {
    EXPECT_EQ(secondsToSellOut(20000, 2000), 10);
    EXPECT_EQ(secondsToSellOut(100, 30000), 0) << "under a second: rounded down, polls every second";
    EXPECT_EQ(secondsToSellOut(0, 2000), 0);
    EXPECT_EQ(secondsToSellOut(5, 0), kNeverSellsOutSeconds) << "nothing drains: no sell-out to wait for";
}

TEST(Polling, AMillionInLineFarFromSellOutCostsTheDocumentedBound) {
    // Sum of 1/interval over every position: the polls a second the whole queue costs.
    const double rate = 2000;
    const std::int64_t length = 1'000'000;
    for (const std::int64_t sellOut : {kFar, 2 * kMaxPollSeconds}) {
        double perSecond = 0;
        for (std::int64_t ahead = 0; ahead < length; ++ahead)
            perSecond += 1.0 / pollSeconds(ahead, rate, sellOut);
        const double bound = 2 * rate * (1 + std::log(static_cast<double>(kMaxPollSeconds))) +
                             static_cast<double>(length) / kMaxPollSeconds;
        EXPECT_LE(perSecond, bound) << "sell-out in " << sellOut << " s";
        EXPECT_GT(perSecond, bound / 4);  // the bound is of the right size, not loose by orders
    }
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
