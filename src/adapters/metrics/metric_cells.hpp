// Counters and histograms for the hot path: each cell has exactly one writer thread (its worker),
// and the scrape, on any thread, only reads. So an increment is a relaxed load and store, not a
// locked read-modify-write: it compiles to a plain add on x86, with no cache line bouncing between
// cores, as a shared prometheus::Counter (an atomic shared by every worker) would. The atomics are
// there only so that the scrape's concurrent read is defined behaviour (and TSan-clean).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace jkjav::metrics {

// A counter written by one thread only.
class CounterCell {
  public:
    void add(std::uint64_t n = 1) {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

// Upper bounds (seconds) of the latency histograms: sub-millisecond answers from the snapshot up
// to the multi-second waits of an outage (commands time out at 2 s by default).
inline constexpr std::array<double, 14> kLatencyBounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                       0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};

// A latency histogram written by one thread only: one cell per bucket (not cumulative; the scrape
// sums them up), plus +Inf, and the sum in nanoseconds.
class LatencyCells {
  public:
    static constexpr std::size_t kBuckets = kLatencyBounds.size() + 1;  // the last is +Inf

    void observe(std::chrono::nanoseconds elapsed) {
        const double seconds = std::chrono::duration<double>(elapsed).count();
        std::size_t bucket = 0;
        while (bucket < kLatencyBounds.size() && seconds > kLatencyBounds[bucket]) ++bucket;
        buckets_[bucket].add();
        const auto ns = elapsed.count() < 0 ? 0 : static_cast<std::uint64_t>(elapsed.count());
        sumNanos_.add(ns);
    }
    [[nodiscard]] std::uint64_t bucket(std::size_t index) const { return buckets_[index].value(); }
    [[nodiscard]] std::uint64_t sumNanos() const { return sumNanos_.value(); }

  private:
    std::array<CounterCell, kBuckets> buckets_;
    CounterCell sumNanos_;
};

// A histogram merged from several threads' cells, in prometheus' cumulative form.
struct MergedLatency {
    std::array<std::uint64_t, LatencyCells::kBuckets> buckets{};  // per bucket, not cumulative
    double sumSeconds = 0;
    void add(const LatencyCells& cells) {
        for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += cells.bucket(i);
        sumSeconds += static_cast<double>(cells.sumNanos()) / 1e9;
    }
};

}  // namespace jkjav::metrics
