// The waiting room's metrics (contract11.md): its gauges and store-wide counters read at scrape time
// from the QueueSnapshot this server's ticker last took (no Redis call per scrape), and the joins and
// wait-estimate errors merged from every worker's QueueCells.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "adapters/metrics/queue_cells.hpp"
#include "app/queue_snapshot.hpp"

namespace jkjav::metrics {

struct QueueMetricsSources {
    // The ticker's last snapshot, null before its first round answered; safe from any thread.
    std::function<std::shared_ptr<const app::QueueSnapshot>()> snapshot;
    std::int64_t opensAtMs = 0;
    std::vector<const QueueCells*> workers;
};

class QueueMetricsCollector final : public prometheus::Collectable {
  public:
    explicit QueueMetricsCollector(QueueMetricsSources sources) : sources_(std::move(sources)) {}
    std::vector<prometheus::MetricFamily> Collect() const override;

  private:
    QueueMetricsSources sources_;
};

}  // namespace jkjav::metrics
