#include "domain/token_bucket.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

using std::chrono::milliseconds;

struct Step {
    long long atMs;                 // when the request comes, from the first one
    bool allowed;                   // the expected decision
    long long retryAfterSeconds{};  // refused: the expected Retry-After
};

struct BucketCase {
    const char* name;
    double perSecond;
    std::vector<Step> steps;
};

void PrintTo(const BucketCase& c, std::ostream* os) {
    *os << c.name << ": " << c.perSecond << "/s, requests at";
    for (const Step& step : c.steps) {
        *os << " " << step.atMs << "ms:" << (step.allowed ? "allowed" : "refused");
        if (!step.allowed) *os << "(retry " << step.retryAfterSeconds << "s)";
    }
}

class TokenBucketTest : public ::testing::TestWithParam<BucketCase> {};

TEST_P(TokenBucketTest, DecidesEachRequest) {
    const auto& param = GetParam();
    const TokenBucketRule rule(param.perSecond);
    // Any origin: the rule only looks at differences, and a fresh bucket (0) is full.
    constexpr std::int64_t kOrigin = 5'000'000'000'000;
    std::int64_t fullAt = 0;
    for (std::size_t i = 0; i < param.steps.size(); ++i) {
        const Step& step = param.steps[i];
        const auto decision = rule.decide(fullAt, kOrigin + step.atMs * 1'000'000);
        EXPECT_EQ(decision.allowed, step.allowed) << "request " << i << " at " << step.atMs << " ms";
        if (!step.allowed) {
            EXPECT_EQ(retryAfterSeconds(decision.wait), step.retryAfterSeconds) << "request " << i;
            EXPECT_EQ(decision.fullAt, fullAt) << "a refusal takes no token";
        }
        fullAt = decision.fullAt;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Buckets, TokenBucketTest,
    ::testing::Values(
        // 2/s holds 4: a burst of 4, then one every 500 ms.
        BucketCase{"BurstIsTwiceTheRate",
                   2,
                   {{0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, false, 1},
                    {499, false, 1},
                    {500, true},
                    {500, false, 1},
                    {1000, true}}},
        BucketCase{
            "AnIdleBucketRefillsToItsBurstOnly",
            2,
            {{0, true}, {60'000, true}, {60'000, true}, {60'000, true}, {60'000, true}, {60'000, false, 1}}},
        // 0.1/s: burst max(1, 0.2) = 1, the next token 10 s later.
        BucketCase{
            "ASlowRateStillAllowsOne", 0.1, {{0, true}, {1, false, 10}, {9'001, false, 1}, {10'000, true}}},
        // 0.25/s: 4 s a token; a refusal 1.5 s in waits 2.5 s, rounded up to 3.
        BucketCase{"RetryAfterRoundsUp", 0.25, {{0, true}, {1'500, false, 3}}},
        BucketCase{"AFastRateHasALargeBurst",
                   100,
                   {{0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, true},
                    {0, true}}}),
    jkjav::testing::ByLabel());

TEST(TokenBucketRule, AFastRatesBurstIsTwiceItsRate) {
    const TokenBucketRule rule(100);
    EXPECT_DOUBLE_EQ(rule.burst(), 200);
    std::int64_t fullAt = 0;
    int allowed = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto decision = rule.decide(fullAt, 1'000);
        fullAt = decision.fullAt;
        allowed += decision.allowed ? 1 : 0;
    }
    EXPECT_EQ(allowed, 200);
}

TEST(RetryAfterSeconds, IsAtLeastOneSecond) {
    EXPECT_EQ(retryAfterSeconds(std::chrono::nanoseconds(1)), 1);
    EXPECT_EQ(retryAfterSeconds(milliseconds(1000)), 1);
    EXPECT_EQ(retryAfterSeconds(milliseconds(1001)), 2);
}

}  // namespace
}  // namespace jkjav::domain
