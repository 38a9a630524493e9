// Merges every worker's cells (worker_metrics.hpp) into prometheus families at scrape time: the
// HTTP, booking and Redis metrics of metric-names.md.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "adapters/metrics/worker_metrics.hpp"

namespace jkjav::metrics {

class WorkerMetricsCollector final : public prometheus::Collectable {
  public:
    // `routeLabels[i]`: the `route` label of route index i in the workers' cells.
    WorkerMetricsCollector(std::vector<std::string> routeLabels, std::vector<const WorkerMetrics*> workers);

    std::vector<prometheus::MetricFamily> Collect() const override;

  private:
    std::vector<std::string> routeLabels_;
    std::vector<const WorkerMetrics*> workers_;
};

}  // namespace jkjav::metrics
