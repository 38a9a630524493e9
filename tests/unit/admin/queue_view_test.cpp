// `jkjav-admin queue status`'s view: state, rates and the cap from the figures, without Redis.
#include "queue_view.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace jkjav::cmd {
namespace {

const domain::QueueSettings kSettings{.opensAtMs = 1622001600000,
                                      .preQueueOpensAtMs = 1621998000000,
                                      .admitPerSecond = 2000,
                                      .admissionSeconds = 600,
                                      .overAdmitFactor = 1.2};

app::QueueFigures figures(std::int64_t nowMs, std::int64_t remaining) {
    return {.nowMs = nowMs,
            .admittedUpTo = 300,
            .length = 1300,
            .preQueued = 900,
            .outstanding = 110,
            .remaining = remaining,
            .admittedTotal = 300,
            .expiredTotal = 12};
}

TEST(QueueView, StateFollowsTheClockAndTheSlots) {
    EXPECT_EQ(queueStatus(figures(kSettings.opensAtMs - 1, 100), std::nullopt, kSettings).state, "prequeue");
    EXPECT_EQ(queueStatus(figures(kSettings.opensAtMs, 100), std::nullopt, kSettings).state, "open");
    EXPECT_EQ(queueStatus(figures(kSettings.opensAtMs, 0), std::nullopt, kSettings).state, "closed");
}

TEST(QueueView, TheCapIsTheFloorOfRemainingTimesTheFactor) {
    EXPECT_EQ(queueStatus(figures(kSettings.opensAtMs, 100), std::nullopt, kSettings).cap, 120);
    EXPECT_EQ(queueStatus(figures(kSettings.opensAtMs, 7), std::nullopt, kSettings).cap, 8);
    EXPECT_EQ(queueStatus(figures(kSettings.opensAtMs, 0), std::nullopt, kSettings).cap, 0);
}

TEST(QueueView, JsonCarriesBothRatesAndTheFigures) {
    auto paused = figures(kSettings.opensAtMs, 100);
    paused.paused = true;
    const auto json = boost::json::parse(queueStatusJson(queueStatus(paused, 500, kSettings)));
    EXPECT_EQ(json.at("paused"), true);
    EXPECT_EQ(json.at("admitPerSecond").at("configured").to_number<double>(), 2000);
    EXPECT_EQ(json.at("admitPerSecond").at("operator").to_number<double>(), 500);
    EXPECT_EQ(json.at("admitPerSecond").at("effective").to_number<double>(), 500);
    EXPECT_EQ(json.at("length"), 1000) << "in line, not yet admitted";
    EXPECT_EQ(json.at("joined"), 1300);
    EXPECT_EQ(json.at("cap"), 120);
    EXPECT_EQ(json.at("opensAt"), "2021-05-26T04:00:00Z");
    const auto unset = boost::json::parse(queueStatusJson(queueStatus(paused, std::nullopt, kSettings)));
    EXPECT_TRUE(unset.at("admitPerSecond").at("operator").is_null());
    EXPECT_EQ(unset.at("admitPerSecond").at("effective").to_number<double>(), 2000);
}

TEST(QueueView, TextSaysWhenPausedThatNobodyIsAdmitted) {
    auto paused = figures(kSettings.opensAtMs, 100);
    paused.paused = true;
    const std::string text = queueStatusText(queueStatus(paused, std::nullopt, kSettings));
    EXPECT_NE(text.find("paused:           YES"), std::string::npos) << text;
    EXPECT_NE(text.find("admitting at 0/s (paused)"), std::string::npos) << text;
    EXPECT_NE(text.find("1000 in line"), std::string::npos) << text;
}

}  // namespace
}  // namespace jkjav::cmd
