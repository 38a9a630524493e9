// Use case: move booking events from the outbox to the broker, at least once, in order per batch.
// An entry is published only once the store's replicas hold it (a failover cannot lose its
// booking), and acknowledged only after the broker confirmed it; anything else is retried.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "app/ports/clock.hpp"
#include "app/ports/outbox.hpp"
#include "app/rebootstrap_policy.hpp"

namespace jkjav::app {

struct RelayStep {
    std::size_t read = 0;
    std::size_t delivered = 0;
    std::size_t failed = 0;
    bool storeAway = false;
    bool unreplicated = false;    // too few replicas held the batch: nothing published, retried later
    bool rebootstrapped = false;  // the broker client started over from its bootstrap servers
};

struct RelayOptions {
    std::size_t batchSize = 500;
    std::chrono::milliseconds backoffInitial{100};
    std::chrono::milliseconds backoffMax{5000};
    // Events waiting and none confirmed for this long: start over from the bootstrap servers (0: never).
    std::chrono::milliseconds rebootstrapAfter{30'000};
};

class OutboxRelay {
  public:
    OutboxRelay(Outbox& outbox, EventPublisher& publisher, const MonotonicClock& clock,
                RelayOptions options = {})
        : outbox_(outbox),
          publisher_(publisher),
          clock_(clock),
          options_(options),
          rebootstrap_(options.rebootstrapAfter) {}

    // One batch: read, publish, acknowledge what the broker confirmed.
    boost::asio::awaitable<RelayStep> step();
    // Steps until stop(), backing off (capped) while the store or the broker is away.
    boost::asio::awaitable<void> run();
    // Drain: the batch in flight still gets its delivery reports and is acknowledged, then run()
    // returns; no new batch starts. Call on the executor run() is on.
    void stop();

    // Safe from any thread (metrics read it while the relay runs on its own).
    [[nodiscard]] std::size_t deliveredTotal() const {
        return deliveredTotal_.load(std::memory_order_relaxed);
    }
    // Batches held back because too few replicas confirmed them; safe from any thread.
    [[nodiscard]] std::size_t unreplicatedTotal() const {
        return unreplicatedTotal_.load(std::memory_order_relaxed);
    }

  private:
    Outbox& outbox_;
    EventPublisher& publisher_;
    const MonotonicClock& clock_;
    RelayOptions options_;
    RebootstrapPolicy rebootstrap_;
    bool retryPending_ = true;  // a restarted relay first finishes what it had in hand
    bool stopped_ = false;
    boost::asio::steady_timer* backoff_ = nullptr;   // while run() waits between failures
    std::atomic<std::size_t> deliveredTotal_{0};     // written by run()'s thread only
    std::atomic<std::size_t> unreplicatedTotal_{0};  // the same
};

}  // namespace jkjav::app
