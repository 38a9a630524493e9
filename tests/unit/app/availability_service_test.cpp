#include "app/availability_service.hpp"

#include <gtest/gtest.h>

#include "mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::app {
namespace {

using ::testing::_;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

class AvailabilityServiceTest : public ::testing::Test {
  protected:
    domain::Campaign campaign_ = testing::pwtcCampaign();
    StrictMock<testing::MockSlotCounters> counters_;
    testing::FixedClock clock_{testing::kMay26()};
    AvailabilityService service_{campaign_, counters_, clock_};
    CounterTable full_{{"PWTC:20210516", 998}, {"PWTC:20210517", 0}, {"UM:20210607", 2500}};
};

TEST_F(AvailabilityServiceTest, SeedsOnceThenReadsInCampaignOrder) {
    EXPECT_CALL(counters_, seedNow(_)).WillOnce(Return(true));
    EXPECT_CALL(counters_, readNow()).Times(2).WillRepeatedly(Return(full_));

    auto view = testing::runAwaitable(service_.refresh());
    ASSERT_TRUE(view.has_value());
    ASSERT_EQ(view->locations.size(), 2u);
    const auto& pwtc = view->locations[0];
    EXPECT_EQ(pwtc.location->code, "PWTC");
    ASSERT_EQ(pwtc.dates.size(), 2u);
    EXPECT_EQ(pwtc.dates[0].date, (domain::CalendarDate{2021, 5, 16}));  // ordered by date
    EXPECT_EQ(pwtc.dates[0].remaining, 998);
    EXPECT_EQ(pwtc.remaining, 998);
    EXPECT_TRUE(service_.seeded());
    EXPECT_TRUE(testing::runAwaitable(service_.refresh()).has_value());  // no second seed
}

TEST_F(AvailabilityServiceTest, SeedsAgainAfterTheStoreWasAway) {
    InSequence order;
    EXPECT_CALL(counters_, seedNow(_)).WillOnce(Return(true));
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(std::nullopt));
    EXPECT_CALL(counters_, seedNow(_)).WillOnce(Return(true));
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(full_));

    EXPECT_FALSE(testing::runAwaitable(service_.refresh()).has_value());
    EXPECT_FALSE(service_.seeded());
    EXPECT_TRUE(testing::runAwaitable(service_.refresh()).has_value());
}

TEST_F(AvailabilityServiceTest, MissingCountersShowAsZeroAndTriggerAReseed) {
    EXPECT_CALL(counters_, seedNow(_)).WillOnce(Return(true));
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(CounterTable{{"PWTC:20210516", 5}}));
    const auto view = testing::runAwaitable(service_.refresh());
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->locations[1].remaining, 0);
    EXPECT_FALSE(service_.seeded());
}

TEST_F(AvailabilityServiceTest, NothingIsReadWhileSeedingFails) {
    EXPECT_CALL(counters_, seedNow(_)).WillOnce(Return(false));
    EXPECT_FALSE(testing::runAwaitable(service_.refresh()).has_value());
}

}  // namespace
}  // namespace jkjav::app
