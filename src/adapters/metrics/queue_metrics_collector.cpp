#include "adapters/metrics/queue_metrics_collector.hpp"

#include <string>

#include "adapters/metrics/family_builder.hpp"

namespace jkjav::metrics {

using domain::Outcome;
using prometheus::MetricType;

std::optional<std::size_t> queueJoinOutcomeIndex(Outcome outcome) {
    switch (outcome) {
        case Outcome::kFound:
            return 0;
        case Outcome::kAlreadyBooked:
            return 1;
        case Outcome::kNotEligible:
            return 2;
        case Outcome::kInvalidRequest:
            return 3;
        case Outcome::kQueueNotOpen:
            return 4;
        // Both are answered 503 STORE_UNAVAILABLE: the person could not join right now.
        case Outcome::kNotSeeded:
        case Outcome::kStoreUnavailable:
            return 5;
        default:
            return std::nullopt;  // not a join's decision
    }
}

namespace {

void addSnapshotFamilies(std::vector<prometheus::MetricFamily>& families, const app::QueueSnapshot* snapshot,
                         std::int64_t opensAtMs) {
    // Absent until the ticker's first round answered, rather than made-up zeros.
    auto gauge = [&](std::string name, std::string help, auto value) {
        auto f = family(std::move(name), std::move(help), MetricType::Gauge);
        if (snapshot != nullptr) addGauge(f, {}, static_cast<double>(value(*snapshot)));
        families.push_back(std::move(f));
    };
    auto counter = [&](std::string name, std::string help, auto value) {
        auto f = family(std::move(name), std::move(help), MetricType::Counter);
        if (snapshot != nullptr) addCounter(f, {}, static_cast<double>(value(*snapshot)));
        families.push_back(std::move(f));
    };
    using Snap = app::QueueSnapshot;
    gauge("jkjav_queue_length", "People in line not yet admitted (the pre-queue's draw included).",
          [](const Snap& s) { return s.figures.length - s.figures.admittedUpTo; });
    gauge("jkjav_queue_prequeued", "People who joined before opensAt, in the draw.",
          [](const Snap& s) { return s.figures.preQueued; });
    gauge("jkjav_queue_admissions_outstanding", "Admissions neither used for a booking nor expired.",
          [](const Snap& s) { return s.figures.outstanding; });
    gauge("jkjav_queue_admit_rate",
          "Admissions per second the wait estimates use: measured over the last 10 s, else the "
          "configured rate; 0 while paused.",
          [](const Snap& s) { return s.figures.paused ? 0.0 : s.admitPerSecond; });
    gauge("jkjav_queue_open", "1 when the queue is open (past opensAt) and slots remain, else 0.",
          [opensAtMs](const Snap& s) {
              return s.figures.nowMs >= opensAtMs && s.figures.remaining > 0 ? 1 : 0;
          });
    gauge("jkjav_queue_paused", "1 while an operator has paused admission (jkjav-admin queue pause).",
          [](const Snap& s) { return s.figures.paused ? 1 : 0; });
    counter("jkjav_queue_admissions_total", "Admissions given, by every server sharing this Redis.",
            [](const Snap& s) { return s.figures.admittedTotal; });
    counter("jkjav_queue_expired_total", "Admissions that lapsed unused, store-wide.",
            [](const Snap& s) { return s.figures.expiredTotal; });
    counter("jkjav_queue_closes_total", "Sell-outs that closed the queue, as this server's ticker saw them.",
            [](const Snap& s) { return s.closesSeen; });
}

}  // namespace

std::vector<prometheus::MetricFamily> QueueMetricsCollector::Collect() const {
    std::vector<prometheus::MetricFamily> families;
    const auto snapshot = sources_.snapshot ? sources_.snapshot() : nullptr;
    addSnapshotFamilies(families, snapshot.get(), sources_.opensAtMs);

    auto joins = family("jkjav_queue_joins_total",
                        "Joins of the waiting room this server decided, by outcome.", MetricType::Counter);
    for (std::size_t outcome = 0; outcome < kQueueJoinOutcomeLabels.size(); ++outcome) {
        std::uint64_t total = 0;
        for (const auto* worker : sources_.workers) total += worker->joins(outcome);
        addCounter(joins, {{"outcome", kQueueJoinOutcomeLabels[outcome]}}, static_cast<double>(total));
    }
    families.push_back(std::move(joins));

    std::array<std::uint64_t, QueueCells::kErrorBuckets> buckets{};
    double sum = 0;
    for (const auto* worker : sources_.workers) {
        for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += worker->errorBucket(i);
        sum += worker->errorSum();
    }
    auto errors = family("jkjav_queue_wait_estimate_error_ratio",
                         "(actual wait - wait estimated at join) / max(estimate, 1 s), once per admitted "
                         "ticket this server first answered admitted.",
                         MetricType::Histogram);
    addHistogram(errors, {}, kWaitErrorBounds, buckets, sum);
    families.push_back(std::move(errors));
    return families;
}

}  // namespace jkjav::metrics
