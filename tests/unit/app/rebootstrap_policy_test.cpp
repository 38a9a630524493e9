#include "app/rebootstrap_policy.hpp"

#include <gtest/gtest.h>

#include "app/outbox_relay.hpp"

namespace jkjav::app {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const RelayStep kAllFailed{.read = 5, .delivered = 0, .failed = 5};
const RelayStep kSomeDelivered{.read = 5, .delivered = 1, .failed = 4};
const RelayStep kNothingWaiting{};
const RelayStep kStoreAway{.storeAway = true};

class RebootstrapPolicyTest : public ::testing::Test {
  protected:
    // One batch taking `duration` from the current instant; true when the policy says start over.
    bool batch(const RelayStep& step, milliseconds duration = seconds(10)) {
        const auto started = now_;
        now_ += duration;
        return policy_.afterBatch(step, started, now_);
    }

    RebootstrapPolicy::TimePoint now_{std::chrono::hours(1)};
    RebootstrapPolicy policy_{seconds(30)};
};

TEST_F(RebootstrapPolicyTest, StartsOverOnceFailuresLastedTheIntervalCountedFromTheFirstFailedBatch) {
    EXPECT_FALSE(batch(kAllFailed));  // 10 s of failure
    EXPECT_FALSE(batch(kAllFailed));  // 20 s
    EXPECT_TRUE(batch(kAllFailed));   // 30 s: the first batch's own delivery wait counts
}

TEST_F(RebootstrapPolicyTest, TheNextStartOverIsAnotherIntervalAway) {
    for (int i = 0; i < 3; ++i) batch(kAllFailed);
    EXPECT_FALSE(batch(kAllFailed));
    EXPECT_FALSE(batch(kAllFailed));
    EXPECT_TRUE(batch(kAllFailed));
}

TEST_F(RebootstrapPolicyTest, AnyConfirmedDeliveryRestartsTheCount) {
    batch(kAllFailed);
    batch(kAllFailed);
    EXPECT_FALSE(batch(kSomeDelivered));
    EXPECT_FALSE(batch(kAllFailed));
    EXPECT_FALSE(batch(kAllFailed));
    EXPECT_TRUE(batch(kAllFailed));
}

TEST_F(RebootstrapPolicyTest, AnIdleBrokerIsNotAFailingOne) {
    batch(kAllFailed);
    batch(kAllFailed);
    EXPECT_FALSE(batch(kNothingWaiting, seconds(60)));  // nothing to send: no verdict on the broker
    EXPECT_FALSE(batch(kAllFailed));
}

TEST_F(RebootstrapPolicyTest, TheStoreBeingAwaySaysNothingAboutTheBroker) {
    batch(kAllFailed);
    batch(kAllFailed);
    EXPECT_FALSE(batch(kStoreAway, seconds(1)));
    EXPECT_TRUE(batch(kAllFailed));  // the failures before the store went away still count
}

TEST_F(RebootstrapPolicyTest, QuickFailuresWaitForTheWholeInterval) {
    for (int i = 0; i < 299; ++i) ASSERT_FALSE(batch(kAllFailed, milliseconds(100))) << "batch " << i;
    EXPECT_TRUE(batch(kAllFailed, milliseconds(100)));
}

TEST(RebootstrapPolicy, ZeroMeansNever) {
    RebootstrapPolicy never{milliseconds(0)};
    RebootstrapPolicy::TimePoint now{};
    for (int i = 0; i < 100; ++i) {
        EXPECT_FALSE(never.afterBatch(kAllFailed, now, now + std::chrono::hours(1)));
        now += std::chrono::hours(1);
    }
}

}  // namespace
}  // namespace jkjav::app
