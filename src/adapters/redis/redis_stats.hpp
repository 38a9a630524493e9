// What one Redis connection reports for metrics, written only by the connection's own thread and
// read by the scrape (see metrics/metric_cells.hpp for why plain per-thread cells).
#pragma once

#include <atomic>

#include "adapters/metrics/metric_cells.hpp"

namespace jkjav::redis {

struct RedisStats {
    metrics::LatencyCells commandSeconds;  // from submit to reply, commands that were sent only
    metrics::CounterCell reconnects;       // handshakes completed after the first one
    std::atomic<bool> up{false};           // handshake done, not yet lost
};

}  // namespace jkjav::redis
