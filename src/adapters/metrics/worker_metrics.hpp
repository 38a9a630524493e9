// Everything one worker thread counts on its hot path: HTTP requests by route, method and status,
// their latency by route, booking outcomes and its Redis connection's timings. Written only by the
// worker's thread, merged by WorkerMetricsCollector at scrape time (see metric_cells.hpp).
#pragma once

#include <array>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "adapters/metrics/metric_cells.hpp"
#include "adapters/metrics/queue_cells.hpp"
#include "adapters/redis/redis_stats.hpp"
#include "app/ports/booking_observer.hpp"

namespace jkjav::metrics {

// The `method` label: the methods a client may send us by name, anything else "OTHER".
inline constexpr std::array<std::string_view, 8> kMethodLabels{"GET", "HEAD",  "POST",    "DELETE",
                                                               "PUT", "PATCH", "OPTIONS", "OTHER"};
std::size_t methodIndex(boost::beast::http::verb method);

// The `status` label covers every code 100-599 (one cell each): an index, never a lookup.
inline constexpr unsigned kFirstStatus = 100;
inline constexpr unsigned kStatusCount = 500;

class HttpRequestCells {
  public:
    // `routes`: how many `route` labels (the route table's patterns plus "unmatched").
    explicit HttpRequestCells(std::size_t routes);

    void record(std::size_t route, boost::beast::http::verb method, unsigned status,
                std::chrono::nanoseconds elapsed) {
        const unsigned statusIndex = status >= kFirstStatus && status < kFirstStatus + kStatusCount
                                         ? status - kFirstStatus
                                         : 500 - kFirstStatus;  // impossible codes count as 500
        counts_[(route * kMethodLabels.size() + methodIndex(method)) * kStatusCount + statusIndex].add();
        latency_[route].observe(elapsed);
    }

    [[nodiscard]] std::size_t routes() const { return routes_; }
    [[nodiscard]] std::uint64_t count(std::size_t route, std::size_t method, unsigned status) const {
        return counts_[(route * kMethodLabels.size() + method) * kStatusCount + (status - kFirstStatus)]
            .value();
    }
    [[nodiscard]] const LatencyCells& latency(std::size_t route) const { return latency_[route]; }

  private:
    std::size_t routes_;
    std::unique_ptr<CounterCell[]> counts_;    // [route][method][status]
    std::unique_ptr<LatencyCells[]> latency_;  // [route]
};

// The `outcome` label of jkjav_bookings_total (metric-names.md), in this order.
inline constexpr std::array<std::string_view, 10> kBookingOutcomeLabels{
    "booked",  "repeat",       "full",       "already_booked", "unknown_slot",
    "invalid", "not_eligible", "waitlisted", "cancelled",      "unavailable"};
// The label an outcome counts under; nullopt for outcomes that are not booking decisions (lookups).
std::optional<std::size_t> bookingOutcomeIndex(domain::Outcome outcome);

class BookingOutcomeCells final : public app::BookingObserver {
  public:
    void decided(domain::Outcome outcome) override {
        if (const auto index = bookingOutcomeIndex(outcome)) cells_[*index].add();
    }
    [[nodiscard]] std::uint64_t count(std::size_t index) const { return cells_[index].value(); }

  private:
    std::array<CounterCell, kBookingOutcomeLabels.size()> cells_;
};

// One worker's cells; aligned so that two workers' cells never share a cache line.
struct alignas(64) WorkerMetrics {
    explicit WorkerMetrics(std::size_t routes) : http(routes) {}
    HttpRequestCells http;
    BookingOutcomeCells bookings;
    QueueCells queue;  // the waiting room's joins and estimate errors (idle when the campaign has none)
    redis::RedisStats redis;
};

}  // namespace jkjav::metrics
