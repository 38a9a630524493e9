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
    addHistogram(family, labels, kLatencyBounds, latency.buckets, latency.sumSeconds);
}

void addHistogram(prometheus::MetricFamily& family, Labels labels, std::span<const double> bounds,
                  std::span<const std::uint64_t> perBucket, double sum) {
    auto& histogram = addMetric(family, labels).histogram;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < perBucket.size(); ++i) {
        cumulative += perBucket[i];
        const double bound = i < bounds.size() ? bounds[i] : std::numeric_limits<double>::infinity();
        histogram.bucket.push_back({cumulative, bound});
    }
    histogram.sample_count = cumulative;
    histogram.sample_sum = sum;
}

}  // namespace jkjav::metrics
