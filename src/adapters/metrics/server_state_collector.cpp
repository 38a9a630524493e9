#include "adapters/metrics/server_state_collector.hpp"

#include <algorithm>

#include "adapters/metrics/family_builder.hpp"

namespace jkjav::metrics {

using prometheus::MetricType;

ServerStateCollector::ServerStateCollector(ServerStateSources sources)
    : sources_(std::move(sources)), startedAt_(std::chrono::steady_clock::now()) {}

std::vector<prometheus::MetricFamily> ServerStateCollector::Collect() const {
    std::vector<prometheus::MetricFamily> families;
    const auto figures = sources_.publisher.latestFigures();

    auto slots = family("jkjav_slots_remaining", "Slots left per location and date, as of the last snapshot.",
                        MetricType::Gauge);
    if (figures) {
        for (const auto& slot : figures->slots)
            addGauge(slots, {{"location", slot.location}, {"date", slot.date}},
                     static_cast<double>(slot.remaining));
    }
    families.push_back(std::move(slots));

    // Until the first snapshot, the time since start: it grows, so a server that never gets one
    // alerts as stale too.
    const auto takenAt = figures ? figures->takenAt : startedAt_;
    auto age = family("jkjav_snapshot_age_seconds", "Age of the availability figures the API serves.",
                      MetricType::Gauge);
    addGauge(age, {}, std::chrono::duration<double>(std::chrono::steady_clock::now() - takenAt).count());
    families.push_back(std::move(age));

    auto ready = family("jkjav_ready", "1 when /readyz answers READY, else 0.", MetricType::Gauge);
    addGauge(ready, {}, sources_.health.ready() ? 1 : 0);
    families.push_back(std::move(ready));

    // -1 while the store has not answered: absent then, rather than a made-up zero.
    const long long backlog = sources_.health.outboxBacklog.load(std::memory_order_relaxed);
    const long long oldest = sources_.health.outboxOldestMillis.load(std::memory_order_relaxed);
    auto backlogFamily = family("jkjav_outbox_backlog",
                                "Booking events written but not yet delivered to Kafka.", MetricType::Gauge);
    if (backlog >= 0) addGauge(backlogFamily, {}, static_cast<double>(backlog));
    families.push_back(std::move(backlogFamily));
    auto oldestFamily = family("jkjav_outbox_oldest_age_seconds",
                               "How long the oldest undelivered booking event has waited (0: none waits).",
                               MetricType::Gauge);
    if (oldest >= 0) {
        const long long nowMillis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
        // The id's time is Redis's clock; a clock a little ahead of ours must not read negative.
        const double seconds =
            oldest == 0 ? 0.0 : static_cast<double>(std::max(0LL, nowMillis - oldest)) / 1000.0;
        addGauge(oldestFamily, {}, seconds);
    }
    families.push_back(std::move(oldestFamily));

    auto published = family("jkjav_events_published_total", "Booking events the relay delivered to Kafka.",
                            MetricType::Counter);
    addCounter(published, {}, static_cast<double>(sources_.eventsPublished ? sources_.eventsPublished() : 0));
    families.push_back(std::move(published));
    auto unreplicated =
        family("jkjav_events_unreplicated_batches_total",
               "Outbox batches the relay held back (published nothing, retried) because fewer "
               "than REDIS_MIN_REPLICAS replicas confirmed them.",
               MetricType::Counter);
    addCounter(unreplicated, {},
               static_cast<double>(sources_.eventsUnreplicated ? sources_.eventsUnreplicated() : 0));
    families.push_back(std::move(unreplicated));

    auto connections = family("jkjav_connections_open",
                              "Client connections open now (MAX_CONNECTIONS caps them).", MetricType::Gauge);
    addGauge(connections, {}, static_cast<double>(sources_.connections.openConnections()));
    families.push_back(std::move(connections));
    return families;
}

}  // namespace jkjav::metrics
