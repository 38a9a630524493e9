#include "adapters/metrics/family_builder.hpp"

#include <limits>

namespace jkjav::metrics {

namespace {

prometheus::ClientMetric& addMetric(prometheus::MetricFamily& family, Labels labels) {
    auto& metric = family.metric.emplace_back();
    for (const auto& [name, value] : labels) metric.label.push_back({std::string(name), std::string(value)});
    return metric;
}

}  // namespace

prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type) {
    prometheus::MetricFamily result;
    result.name = std::move(name);
    result.help = std::move(help);
    result.type = type;
    return result;
}

void addCounter(prometheus::MetricFamily& family, Labels labels, double value) {
    addMetric(family, labels).counter.value = value;
}

void addGauge(prometheus::MetricFamily& family, Labels labels, double value) {
    addMetric(family, labels).gauge.value = value;
}

void addHistogram(prometheus::MetricFamily& family, Labels labels, const MergedLatency& latency) {
    auto& histogram = addMetric(family, labels).histogram;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency.buckets.size(); ++i) {
        cumulative += latency.buckets[i];
        const double bound =
            i < kLatencyBounds.size() ? kLatencyBounds[i] : std::numeric_limits<double>::infinity();
        histogram.bucket.push_back({cumulative, bound});
    }
    histogram.sample_count = cumulative;
    histogram.sample_sum = latency.sumSeconds;
}

}  // namespace jkjav::metrics
