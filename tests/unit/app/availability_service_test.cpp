#include "app/availability_service.hpp"

#include <gtest/gtest.h>

#include "mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::app {
namespace {

using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;

class AvailabilityServiceTest : public ::testing::Test {
  protected:
    domain::Campaign campaign_ = testing::pwtcCampaign();
    StrictMock<testing::MockSlotCounters> counters_;
    testing::FixedClock clock_{testing::kMay26()};
    AvailabilityService service_{campaign_, counters_, clock_};
    CampaignMarker marker_{campaign_.name(), "TP2JVF", "2021-05-26T04:00:00Z"};
    CounterTable full_{{"PWTC:20210516", 998}, {"PWTC:20210517", 0}, {"UM:20210607", 2500}};
    CounterRead open_{marker_, full_};
};

TEST_F(AvailabilityServiceTest, AnOpenCampaignIsReadInCampaignOrderAndNeverSeeded) {
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(open_));  // StrictMock: no seedNow call

    const auto refreshed = testing::runAwaitable(service_.refresh());
    EXPECT_EQ(refreshed.status, CampaignStatus::kOpen);
    ASSERT_TRUE(refreshed.view.has_value());
    ASSERT_EQ(refreshed.view->locations.size(), 2u);
    const auto& pwtc = refreshed.view->locations[0];
    EXPECT_EQ(pwtc.location->code, "PWTC");
    ASSERT_EQ(pwtc.dates.size(), 2u);
    EXPECT_EQ(pwtc.dates[0].date, (domain::CalendarDate{2021, 5, 16}));  // ordered by date
    EXPECT_EQ(pwtc.dates[0].remaining, 998);
    EXPECT_EQ(pwtc.remaining, 998);
}

TEST_F(AvailabilityServiceTest, AStoreWithoutAMarkerIsNotSeededAndShowsNothing) {
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(CounterRead{std::nullopt, full_}));
    const auto refreshed = testing::runAwaitable(service_.refresh());
    EXPECT_EQ(refreshed.status, CampaignStatus::kNotSeeded);
    EXPECT_FALSE(refreshed.view.has_value());
}

TEST_F(AvailabilityServiceTest, AMarkerThatDisappearsIsReportedLostNotReseeded) {
    InSequence order;
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(open_));
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(CounterRead{}));  // FLUSHALL: nothing left
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(std::nullopt));   // then Redis restarts
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(CounterRead{}));  // ...and comes back empty

    EXPECT_EQ(testing::runAwaitable(service_.refresh()).status, CampaignStatus::kOpen);
    EXPECT_EQ(testing::runAwaitable(service_.refresh()).status, CampaignStatus::kMarkerLost);
    EXPECT_EQ(testing::runAwaitable(service_.refresh()).status, CampaignStatus::kUnknown);
    const auto refreshed = testing::runAwaitable(service_.refresh());
    EXPECT_EQ(refreshed.status, CampaignStatus::kMarkerLost);
    EXPECT_FALSE(refreshed.view.has_value());
}

TEST_F(AvailabilityServiceTest, AnotherCampaignsMarkerIsNotThisCampaign) {
    CounterRead other{CampaignMarker{"round-2", "TP2JVF", "2021-06-01T00:00:00Z"}, full_};
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(other));
    EXPECT_EQ(testing::runAwaitable(service_.refresh()).status, CampaignStatus::kOtherCampaign);
}

TEST_F(AvailabilityServiceTest, DatesWithoutACounterShowAsZero) {
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(CounterRead{marker_, {{"PWTC:20210516", 5}}}));
    const auto refreshed = testing::runAwaitable(service_.refresh());
    ASSERT_TRUE(refreshed.view.has_value());
    EXPECT_EQ(refreshed.view->locations[1].remaining, 0);
}

TEST_F(AvailabilityServiceTest, AStoreThatIsAwayIsUnknown) {
    EXPECT_CALL(counters_, readNow()).WillOnce(Return(std::nullopt));
    EXPECT_EQ(testing::runAwaitable(service_.refresh()).status, CampaignStatus::kUnknown);
}

}  // namespace
}  // namespace jkjav::app
