// The waiting room's per-thread metrics: joins by outcome and the error of the wait estimates, as a
// QueueObserver of this worker's QueueService. Written only by the worker's thread, merged at scrape
// time by QueueMetricsCollector (see metric_cells.hpp for why cells, not shared counters).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

#include "adapters/metrics/metric_cells.hpp"
#include "app/ports/queue_observer.hpp"

namespace jkjav::metrics {

// The `outcome` label of jkjav_queue_joins_total, in this order.
inline constexpr std::array<std::string_view, 6> kQueueJoinOutcomeLabels{
    "joined", "already_booked", "not_eligible", "invalid", "not_open", "unavailable"};
std::optional<std::size_t> queueJoinOutcomeIndex(domain::Outcome outcome);

// Upper bounds of jkjav_queue_wait_estimate_error_ratio: (actual - estimate) / estimate, from
// admitted in a quarter of the time told (-0.75) to waiting nine times as long (8); 0 is exact.
inline constexpr std::array<double, 12> kWaitErrorBounds{-0.75, -0.5, -0.25, -0.1, 0, 0.1,
                                                         0.25,  0.5,  1,     2,    4, 8};

class QueueCells final : public app::QueueObserver {
  public:
    static constexpr std::size_t kErrorBuckets = kWaitErrorBounds.size() + 1;  // the last is +Inf

    void joinDecided(domain::Outcome outcome) override {
        if (const auto index = queueJoinOutcomeIndex(outcome)) joins_[*index].add();
    }
    void firstAdmitted(double estimateError) override {
        std::size_t bucket = 0;
        while (bucket < kWaitErrorBounds.size() && estimateError > kWaitErrorBounds[bucket]) ++bucket;
        errorBuckets_[bucket].add();
        // The sum may go down (early admissions): signed, in millionths, one writer like the cells.
        const auto micros = static_cast<std::int64_t>(estimateError * 1e6);
        errorSumMicros_.store(errorSumMicros_.load(std::memory_order_relaxed) + micros,
                              std::memory_order_relaxed);
    }

    [[nodiscard]] std::uint64_t joins(std::size_t index) const { return joins_[index].value(); }
    [[nodiscard]] std::uint64_t errorBucket(std::size_t index) const { return errorBuckets_[index].value(); }
    [[nodiscard]] double errorSum() const {
        return static_cast<double>(errorSumMicros_.load(std::memory_order_relaxed)) / 1e6;
    }

  private:
    std::array<CounterCell, kQueueJoinOutcomeLabels.size()> joins_;
    std::array<CounterCell, kErrorBuckets> errorBuckets_;
    std::atomic<std::int64_t> errorSumMicros_{0};
};

}  // namespace jkjav::metrics
