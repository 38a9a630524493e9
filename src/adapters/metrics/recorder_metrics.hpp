// jkjav-recorder's metrics (its own /metrics port): events recorded by type, batch sizes,
// transaction latency, consumer lag. prometheus-cpp core's registry, safe from any thread.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

#include "app/ports/recorder_observer.hpp"

namespace jkjav::metrics {

class RecorderMetrics final : public app::RecorderObserver {
  public:
    RecorderMetrics();

    void batchRecorded(std::size_t events, const app::RecordResult& result,
                       std::chrono::nanoseconds transaction) override;
    void malformedSkipped(std::size_t messages) override;
    void storeFailed() override;
    void lagMeasured(std::optional<long long> lag) override;

    // For MetricsExposition::add.
    [[nodiscard]] std::shared_ptr<const prometheus::Collectable> collectable() const { return registry_; }
    // 0 from a failed write until a batch commits again; what /healthz reports as "database".
    [[nodiscard]] bool storeUp() const { return storeUp_.Value() > 0; }

  private:
    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Family<prometheus::Counter>& recorded_;
    prometheus::Family<prometheus::Counter>& skipped_;
    prometheus::Counter& created_;
    prometheus::Counter& cancelled_;
    prometheus::Counter& duplicates_;
    prometheus::Counter& conflicts_;
    prometheus::Counter& malformed_;
    prometheus::Counter& storeFailures_;
    prometheus::Histogram& batchSize_;
    prometheus::Histogram& transactionSeconds_;
    prometheus::Gauge& lag_;
    prometheus::Gauge& storeUp_;
};

}  // namespace jkjav::metrics
