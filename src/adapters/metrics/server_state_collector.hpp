// The gauges of the server's state, read at scrape time from where they already live: slots and
// snapshot age from the snapshot publisher, readiness and the outbox from ServiceHealth (which the
// publisher refreshes every SNAPSHOT_MS), open connections from the ConnectionBudget, events
// published from the relay. Nothing here asks Redis: a scrape costs no round trip.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <cstdint>
#include <functional>

#include "adapters/http/connection_budget.hpp"
#include "adapters/http/service_health.hpp"
#include "adapters/http/snapshot_publisher.hpp"

namespace jkjav::metrics {

struct ServerStateSources {
    const http::ServiceHealth& health;
    const http::ConnectionBudget& connections;
    const http::SnapshotPublisher& publisher;
    // Events the relay delivered to Kafka; safe to call from any thread.
    std::function<std::uint64_t()> eventsPublished;
    // Batches the relay held back because too few replicas held them; the same.
    std::function<std::uint64_t()> eventsUnreplicated;
};

class ServerStateCollector final : public prometheus::Collectable {
  public:
    explicit ServerStateCollector(ServerStateSources sources);
    std::vector<prometheus::MetricFamily> Collect() const override;

  private:
    ServerStateSources sources_;
    std::chrono::steady_clock::time_point startedAt_;  // the snapshot's age until there is one
};

}  // namespace jkjav::metrics
