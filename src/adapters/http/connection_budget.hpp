// What every worker's listener shares: the process-wide cap on open connections (MAX_CONNECTIONS).
// Touched once per connection, never per request.
#pragma once

#include <atomic>
#include <cstddef>

namespace jkjav::http {

class ConnectionBudget {
  public:
    explicit ConnectionBudget(std::size_t maxConnections) : maxConnections_(maxConnections) {}

    // A connection may be served; false when MAX_CONNECTIONS are open already.
    bool tryOpen() {
        if (open_.fetch_add(1, std::memory_order_relaxed) < maxConnections_) return true;
        open_.fetch_sub(1, std::memory_order_relaxed);
        return false;
    }
    void close() { open_.fetch_sub(1, std::memory_order_relaxed); }

    [[nodiscard]] std::size_t maxConnections() const { return maxConnections_; }
    [[nodiscard]] std::size_t openConnections() const { return open_.load(std::memory_order_relaxed); }

  private:
    const std::size_t maxConnections_;
    std::atomic<std::size_t> open_{0};
};

}  // namespace jkjav::http
