// When the recorder's consumer starts over: its group reported out of reach for a stretch, judged
// by the statistics reports read, never by their absence.
#include "adapters/kafka/group_watch.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"

namespace jkjav::kafka {
namespace {

using namespace std::chrono_literals;
using TimePoint = GroupWatch::TimePoint;

struct StatisticsCase {
    std::string label;
    std::string json;
    std::optional<std::string> state;
    friend void PrintTo(const StatisticsCase& c, std::ostream* out) { *out << c.json; }
};

class GroupStateOf : public ::testing::TestWithParam<StatisticsCase> {};

TEST_P(GroupStateOf, ReadsTheConsumerGroupsState) {
    EXPECT_EQ(groupStateOf(GetParam().json), GetParam().state);
}

INSTANTIATE_TEST_SUITE_P(
    Reports, GroupStateOf,
    ::testing::Values(
        StatisticsCase{"up", R"({"name":"rdkafka#consumer-1","cgrp":{"state":"up","stateage":1200}})", "up"},
        StatisticsCase{"waiting for the coordinator's transport",
                       R"({"brokers":{},"cgrp":{"state":"wait-broker-transport","join_state":"init"}})",
                       "wait-broker-transport"},
        StatisticsCase{"no group (a producer's report)", R"({"name":"rdkafka#producer-1","brokers":{}})",
                       std::nullopt},
        StatisticsCase{"state not text", R"({"cgrp":{"state":3}})", std::nullopt},
        StatisticsCase{"not JSON", R"({"cgrp":{"state":"up")", std::nullopt}),
    testing::ByLabel());

class GroupWatchTest : public ::testing::Test {
  protected:
    // Reports at `from`, `from + every`, ... up to and including `to`.
    void reports(std::string_view state, std::chrono::milliseconds from, std::chrono::milliseconds to,
                 std::chrono::milliseconds every = 1s) {
        for (auto at = from; at <= to; at += every) watch_.observed(state, start_ + at);
    }

    const TimePoint start_{};
    GroupWatch watch_{12s};
};

TEST_F(GroupWatchTest, StartsOverAfterReportsOutOfReachForTheWholeStretch) {
    reports("up", 0s, 3s);
    reports("wait-broker-transport", 4s, 15s);
    EXPECT_FALSE(watch_.startOver());  // 11 s of reports out of reach
    reports("wait-broker-transport", 16s, 16s);
    EXPECT_TRUE(watch_.startOver());
    EXPECT_FALSE(watch_.startOver()) << "the next start over is another stretch away";
    reports("wait-broker-transport", 17s, 27s);
    EXPECT_FALSE(watch_.startOver());
    reports("wait-broker-transport", 28s, 28s);
    EXPECT_TRUE(watch_.startOver());
}

TEST_F(GroupWatchTest, OneReportUpBreaksTheStretch) {
    reports("query-coord", 0s, 10s);
    reports("up", 11s, 11s);
    reports("wait-coord", 12s, 22s);
    EXPECT_FALSE(watch_.startOver());
}

// A batch that waited for PostgreSQL for a minute reads no report meanwhile: what it reads at once
// afterwards (queued while it waited) is no stretch of time, and only the reports read from then
// on make one.
TEST_F(GroupWatchTest, SilenceIsNoStretchOutOfReach) {
    reports("up", 0s, 0s);
    EXPECT_FALSE(watch_.startOver());
    reports("wait-broker-transport", 60s, 60s + 59ms, 1ms);
    EXPECT_FALSE(watch_.startOver());
    reports("wait-broker-transport", 61s, 71s);
    EXPECT_FALSE(watch_.startOver());
    reports("wait-broker-transport", 72s, 72s);
    EXPECT_TRUE(watch_.startOver());
}

TEST(GroupWatch, NeverWhenTurnedOff) {
    GroupWatch off{0ms};
    off.observed("wait-broker-transport", TimePoint{});
    off.observed("wait-broker-transport", TimePoint{} + 1h);
    EXPECT_FALSE(off.startOver());
}

}  // namespace
}  // namespace jkjav::kafka
