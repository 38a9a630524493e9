// The per-thread metric cells and their merge at scrape time (adapters/metrics): sums across
// workers, prometheus' cumulative buckets, labels from the route table, every outcome mapped.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>

#include "adapters/http/api_routes.hpp"
#include "adapters/metrics/metrics_exposition.hpp"
#include "adapters/metrics/queue_metrics_collector.hpp"
#include "adapters/metrics/worker_metrics.hpp"
#include "adapters/metrics/worker_metrics_collector.hpp"
#include "case_names.hpp"

namespace jkjav::metrics {
namespace {

using boost::beast::http::verb;
using namespace std::chrono_literals;

const prometheus::MetricFamily& familyNamed(const std::vector<prometheus::MetricFamily>& families,
                                            const std::string& name) {
    for (const auto& family : families) {
        if (family.name == name) return family;
    }
    throw std::runtime_error("no family " + name);
}

std::map<std::string, std::string> labelsOf(const prometheus::ClientMetric& metric) {
    std::map<std::string, std::string> labels;
    for (const auto& label : metric.label) labels[label.name] = label.value;
    return labels;
}

const prometheus::ClientMetric* find(const prometheus::MetricFamily& family,
                                     const std::map<std::string, std::string>& labels) {
    for (const auto& metric : family.metric) {
        if (labelsOf(metric) == labels) return &metric;
    }
    return nullptr;
}

class MergeAtScrape : public ::testing::Test {
  protected:
    const std::vector<std::string> routes_ = http::routeLabels();
    WorkerMetrics one_{routes_.size()};
    WorkerMetrics two_{routes_.size()};
    WorkerMetricsCollector collector_{routes_, {&one_, &two_}};

    std::size_t routeIndex(std::string_view pattern) const {
        return static_cast<std::size_t>(std::find(routes_.begin(), routes_.end(), pattern) - routes_.begin());
    }
};

TEST_F(MergeAtScrape, SumsRequestCountersOfEveryWorker) {
    const auto booking = routeIndex("/booking");
    one_.http.record(booking, verb::post, 200, 1ms);
    one_.http.record(booking, verb::post, 200, 1ms);
    two_.http.record(booking, verb::post, 200, 1ms);
    two_.http.record(booking, verb::post, 409, 1ms);
    two_.http.record(routeIndex("unmatched"), verb::get, 404, 1ms);

    const auto families = collector_.Collect();
    const auto& requests = familyNamed(families, "jkjav_http_requests_total");
    EXPECT_EQ(requests.type, prometheus::MetricType::Counter);
    const auto* ok = find(requests, {{"route", "/booking"}, {"method", "POST"}, {"status", "200"}});
    ASSERT_NE(ok, nullptr);
    EXPECT_EQ(ok->counter.value, 3);
    const auto* conflict = find(requests, {{"route", "/booking"}, {"method", "POST"}, {"status", "409"}});
    ASSERT_NE(conflict, nullptr);
    EXPECT_EQ(conflict->counter.value, 1);
    const auto* unmatched = find(requests, {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}});
    ASSERT_NE(unmatched, nullptr);
    EXPECT_EQ(unmatched->counter.value, 1);
    EXPECT_EQ(requests.metric.size(), 3u) << "series that never happened are left out";
}

TEST_F(MergeAtScrape, MethodsOutsideTheKnownOnesCountAsOther) {
    one_.http.record(routeIndex("/locations"), verb::mkcol, 405, 1ms);
    const auto families = collector_.Collect();
    const auto& requests = familyNamed(families, "jkjav_http_requests_total");
    EXPECT_NE(find(requests, {{"route", "/locations"}, {"method", "OTHER"}, {"status", "405"}}), nullptr);
}

TEST_F(MergeAtScrape, HistogramBucketsAreCumulativeAcrossWorkers) {
    const auto stations = routeIndex("/stations/{location}");
    one_.http.record(stations, verb::get, 200, 50us);   // <= 0.0001
    two_.http.record(stations, verb::get, 200, 700us);  // <= 0.001
    two_.http.record(stations, verb::get, 200, 30s);    // +Inf only
    const auto families = collector_.Collect();
    const auto& durations = familyNamed(families, "jkjav_http_request_duration_seconds");
    const auto* metric = find(durations, {{"route", "/stations/{location}"}});
    ASSERT_NE(metric, nullptr);
    const auto& histogram = metric->histogram;
    EXPECT_EQ(histogram.sample_count, 3u);
    EXPECT_NEAR(histogram.sample_sum, 30.00075, 1e-9);
    ASSERT_EQ(histogram.bucket.size(), kLatencyBounds.size() + 1);
    EXPECT_EQ(histogram.bucket.front().upper_bound, 0.0001);
    EXPECT_EQ(histogram.bucket.front().cumulative_count, 1u);
    EXPECT_EQ(histogram.bucket[3].upper_bound, 0.001);
    EXPECT_EQ(histogram.bucket[3].cumulative_count, 2u);
    EXPECT_EQ(histogram.bucket[kLatencyBounds.size() - 1].cumulative_count, 2u);
    EXPECT_TRUE(std::isinf(histogram.bucket.back().upper_bound));
    EXPECT_EQ(histogram.bucket.back().cumulative_count, 3u);
    // Every route has its histogram, used or not.
    EXPECT_EQ(durations.metric.size(), routes_.size());
}

TEST_F(MergeAtScrape, EveryBookingOutcomeIsReportedEvenAtZero) {
    one_.bookings.decided(domain::Outcome::kBooked);
    two_.bookings.decided(domain::Outcome::kBooked);
    two_.bookings.decided(domain::Outcome::kFull);
    two_.bookings.decided(domain::Outcome::kFound);  // a lookup: not a booking decision
    const auto families = collector_.Collect();
    const auto& bookings = familyNamed(families, "jkjav_bookings_total");
    ASSERT_EQ(bookings.metric.size(), kBookingOutcomeLabels.size());
    EXPECT_EQ(find(bookings, {{"outcome", "booked"}})->counter.value, 2);
    EXPECT_EQ(find(bookings, {{"outcome", "full"}})->counter.value, 1);
    EXPECT_EQ(find(bookings, {{"outcome", "cancelled"}})->counter.value, 0);
}

TEST_F(MergeAtScrape, RedisIsUpOnlyWhenEveryConnectionIs) {
    one_.redis.up = true;
    two_.redis.up = false;
    two_.redis.reconnects.add(2);
    one_.redis.commandSeconds.observe(200us);
    auto families = collector_.Collect();
    EXPECT_EQ(familyNamed(families, "jkjav_redis_up").metric.at(0).gauge.value, 0);
    EXPECT_EQ(familyNamed(families, "jkjav_redis_reconnects_total").metric.at(0).counter.value, 2);
    EXPECT_EQ(
        familyNamed(families, "jkjav_redis_command_duration_seconds").metric.at(0).histogram.sample_count,
        1u);
    two_.redis.up = true;
    families = collector_.Collect();
    EXPECT_EQ(familyNamed(families, "jkjav_redis_up").metric.at(0).gauge.value, 1);
}

TEST_F(MergeAtScrape, RendersTheTextFormat) {
    one_.http.record(routeIndex("/booking"), verb::post, 200, 1ms);
    MetricsExposition exposition;
    exposition.add(
        std::make_shared<WorkerMetricsCollector>(routes_, std::vector<const WorkerMetrics*>{&one_}));
    const std::string text = exposition.render();
    EXPECT_NE(text.find("# TYPE jkjav_http_requests_total counter\n"), std::string::npos) << text;
    EXPECT_NE(text.find("jkjav_http_requests_total{route=\"/booking\",method=\"POST\",status=\"200\"} 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("jkjav_http_request_duration_seconds_bucket{route=\"/booking\",le=\"+Inf\"} 1\n"),
              std::string::npos)
        << text;
}

// Every outcome of the domain's table and the label it counts under (none: not a booking decision).
struct OutcomeLabel {
    domain::Outcome outcome;
    const char* label;
};

void PrintTo(const OutcomeLabel& c, std::ostream* os) {
    *os << domain::spellingOf(c.outcome).code << " -> " << c.label;
}

class OutcomeLabels : public ::testing::TestWithParam<OutcomeLabel> {};

TEST_P(OutcomeLabels, MapAsDocumented) {
    const auto index = bookingOutcomeIndex(GetParam().outcome);
    if (std::string_view(GetParam().label).empty()) {
        EXPECT_FALSE(index.has_value());
    } else {
        ASSERT_TRUE(index.has_value());
        EXPECT_EQ(kBookingOutcomeLabels[*index], GetParam().label);
    }
}

using domain::Outcome;
INSTANTIATE_TEST_SUITE_P(
    EveryOutcome, OutcomeLabels,
    ::testing::Values(OutcomeLabel{Outcome::kBooked, "booked"}, OutcomeLabel{Outcome::kAlreadyHeld, "repeat"},
                      OutcomeLabel{Outcome::kWaitlisted, "waitlisted"}, OutcomeLabel{Outcome::kFound, ""},
                      OutcomeLabel{Outcome::kCancelled, "cancelled"},
                      OutcomeLabel{Outcome::kInvalidRequest, "invalid"},
                      OutcomeLabel{Outcome::kNotEligible, "not_eligible"},
                      OutcomeLabel{Outcome::kUnknownLocation, "unknown_slot"},
                      OutcomeLabel{Outcome::kUnknownSlot, "unknown_slot"},
                      OutcomeLabel{Outcome::kFull, "full"},
                      OutcomeLabel{Outcome::kAlreadyBooked, "already_booked"},
                      OutcomeLabel{Outcome::kAlreadyWaitlisted, "already_booked"},
                      OutcomeLabel{Outcome::kNotFound, ""}, OutcomeLabel{Outcome::kNotSeeded, "unavailable"},
                      OutcomeLabel{Outcome::kStoreUnavailable, "unavailable"}),
    [](const ::testing::TestParamInfo<OutcomeLabel>& info) {
        // The table's position: codes repeat ("" for several successes).
        return "Outcome" + std::to_string(static_cast<int>(info.param.outcome)) + "_" +
               jkjav::testing::caseName(info.param.label);
    });

// The waiting room's collector: gauges from the snapshot (absent before the first), joins and
// estimate errors merged from every worker's cells, the error's buckets cumulative from -0.75.
TEST(QueueMetricsCollector, ReadsTheSnapshotAndMergesTheWorkersCells) {
    QueueCells first;
    QueueCells second;
    std::shared_ptr<const app::QueueSnapshot> latest;
    const QueueMetricsCollector collector(
        {.snapshot = [&] { return latest; }, .opensAtMs = 1000, .workers = {&first, &second}});

    const auto empty = collector.Collect();
    EXPECT_TRUE(familyNamed(empty, "jkjav_queue_length").metric.empty()) << "no made-up zeros";
    EXPECT_TRUE(familyNamed(empty, "jkjav_queue_admissions_total").metric.empty());

    first.joinDecided(domain::Outcome::kFound);
    second.joinDecided(domain::Outcome::kFound);
    second.joinDecided(domain::Outcome::kNotSeeded);
    second.joinDecided(domain::Outcome::kBooked);  // not a join's decision: not counted
    first.firstAdmitted(-0.8);
    second.firstAdmitted(0.05);
    second.firstAdmitted(20);
    auto snapshot = std::make_shared<app::QueueSnapshot>();
    snapshot->figures = {.nowMs = 2000,
                         .admittedUpTo = 30,
                         .length = 130,
                         .preQueued = 90,
                         .outstanding = 12,
                         .remaining = 10,
                         .admittedTotal = 30,
                         .expiredTotal = 4,
                         .paused = true,
                         .admitPerSecond = 50};
    snapshot->admitPerSecond = 50;
    snapshot->closesSeen = 2;
    latest = snapshot;

    const auto families = collector.Collect();
    auto gauge = [&](const std::string& name) {
        return familyNamed(families, name).metric.at(0).gauge.value;
    };
    EXPECT_EQ(gauge("jkjav_queue_length"), 100);
    EXPECT_EQ(gauge("jkjav_queue_prequeued"), 90);
    EXPECT_EQ(gauge("jkjav_queue_admissions_outstanding"), 12);
    EXPECT_EQ(gauge("jkjav_queue_admit_rate"), 0) << "paused";
    EXPECT_EQ(gauge("jkjav_queue_open"), 1);
    EXPECT_EQ(gauge("jkjav_queue_paused"), 1);
    EXPECT_EQ(familyNamed(families, "jkjav_queue_closes_total").metric.at(0).counter.value, 2);
    EXPECT_EQ(familyNamed(families, "jkjav_queue_expired_total").metric.at(0).counter.value, 4);
    const auto& joins = familyNamed(families, "jkjav_queue_joins_total");
    EXPECT_EQ(find(joins, {{"outcome", "joined"}})->counter.value, 2);
    EXPECT_EQ(find(joins, {{"outcome", "unavailable"}})->counter.value, 1);
    EXPECT_EQ(find(joins, {{"outcome", "invalid"}})->counter.value, 0);
    const auto& errors =
        familyNamed(families, "jkjav_queue_wait_estimate_error_ratio").metric.at(0).histogram;
    EXPECT_EQ(errors.sample_count, 3u);
    EXPECT_NEAR(errors.sample_sum, 19.25, 1e-6);
    EXPECT_EQ(errors.bucket.front().upper_bound, -0.75);
    EXPECT_EQ(errors.bucket.front().cumulative_count, 1u) << "-0.8 is at or below -0.75";
    EXPECT_EQ(errors.bucket.at(5).upper_bound, 0.1);
    EXPECT_EQ(errors.bucket.at(5).cumulative_count, 2u);
    EXPECT_TRUE(std::isinf(errors.bucket.back().upper_bound));
    EXPECT_EQ(errors.bucket.back().cumulative_count, 3u);

    snapshot->figures.remaining = 0;
    EXPECT_EQ(familyNamed(collector.Collect(), "jkjav_queue_open").metric.at(0).gauge.value, 0) << "sold out";
}

}  // namespace
}  // namespace jkjav::metrics
