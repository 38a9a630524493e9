#include "adapters/metrics/worker_metrics_collector.hpp"

#include "adapters/metrics/family_builder.hpp"

namespace jkjav::metrics {

using prometheus::MetricType;

WorkerMetricsCollector::WorkerMetricsCollector(std::vector<std::string> routeLabels,
                                               std::vector<const WorkerMetrics*> workers)
    : routeLabels_(std::move(routeLabels)), workers_(std::move(workers)) {}

std::vector<prometheus::MetricFamily> WorkerMetricsCollector::Collect() const {
    std::vector<prometheus::MetricFamily> families;

    auto requests =
        family("jkjav_http_requests_total", "HTTP requests answered, by route pattern, method and status.",
               MetricType::Counter);
    auto durations =
        family("jkjav_http_request_duration_seconds",
               "Time from a request's first byte to its response handed to the socket, by route pattern.",
               MetricType::Histogram);
    for (std::size_t route = 0; route < routeLabels_.size(); ++route) {
        for (std::size_t method = 0; method < kMethodLabels.size(); ++method) {
            for (unsigned status = kFirstStatus; status < kFirstStatus + kStatusCount; ++status) {
                std::uint64_t total = 0;
                for (const auto* worker : workers_) total += worker->http.count(route, method, status);
                if (total == 0) continue;  // 36,000 possible series: only those that happened
                const std::string code = std::to_string(status);
                addCounter(
                    requests,
                    {{"route", routeLabels_[route]}, {"method", kMethodLabels[method]}, {"status", code}},
                    static_cast<double>(total));
            }
        }
        MergedLatency latency;
        for (const auto* worker : workers_) latency.add(worker->http.latency(route));
        addHistogram(durations, {{"route", routeLabels_[route]}}, latency);
    }
    families.push_back(std::move(requests));
    families.push_back(std::move(durations));

    auto bookings = family("jkjav_bookings_total",
                           "Booking decisions by outcome, and cancellations (outcome=\"cancelled\").",
                           MetricType::Counter);
    for (std::size_t outcome = 0; outcome < kBookingOutcomeLabels.size(); ++outcome) {
        std::uint64_t total = 0;
        for (const auto* worker : workers_) total += worker->bookings.count(outcome);
        addCounter(bookings, {{"outcome", kBookingOutcomeLabels[outcome]}}, static_cast<double>(total));
    }
    families.push_back(std::move(bookings));

    std::uint64_t reconnects = 0;
    bool allUp = !workers_.empty();
    MergedLatency commands;
    for (const auto* worker : workers_) {
        reconnects += worker->redis.reconnects.value();
        allUp = allUp && worker->redis.up.load(std::memory_order_relaxed);
        commands.add(worker->redis.commandSeconds);
    }
    auto reconnected =
        family("jkjav_redis_reconnects_total",
               "Times a request-path Redis connection was established again after the first time.",
               MetricType::Counter);
    addCounter(reconnected, {}, static_cast<double>(reconnects));
    families.push_back(std::move(reconnected));
    auto up = family("jkjav_redis_up", "1 when every request-path Redis connection is connected, else 0.",
                     MetricType::Gauge);
    addGauge(up, {}, allUp ? 1 : 0);
    families.push_back(std::move(up));
    auto commandDurations =
        family("jkjav_redis_command_duration_seconds",
               "Request-path Redis commands, from sending to their reply.", MetricType::Histogram);
    addHistogram(commandDurations, {}, commands);
    families.push_back(std::move(commandDurations));
    return families;
}

}  // namespace jkjav::metrics
