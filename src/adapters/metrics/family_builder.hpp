// Small helpers to fill prometheus::MetricFamily values by hand (the collectors here merge their own
// cells instead of using the library's shared, locked metric objects).
#pragma once

#include <prometheus/metric_family.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <utility>

#include "adapters/metrics/metric_cells.hpp"

namespace jkjav::metrics {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type);
void addCounter(prometheus::MetricFamily& family, Labels labels, double value);
void addGauge(prometheus::MetricFamily& family, Labels labels, double value);
void addHistogram(prometheus::MetricFamily& family, Labels labels, const MergedLatency& latency);
// Any histogram: `perBucket[i]` observations up to `bounds[i]` (not cumulative), the last +Inf.
void addHistogram(prometheus::MetricFamily& family, Labels labels, std::span<const double> bounds,
                  std::span<const std::uint64_t> perBucket, double sum);

}  // namespace jkjav::metrics
