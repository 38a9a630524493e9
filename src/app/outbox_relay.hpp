// Use case: move booking events from the outbox to the broker, at least once, in order per batch.
// An entry is acknowledged only after the broker confirmed it; anything else is retried.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "app/ports/outbox.hpp"

namespace jkjav::app {

struct RelayStep {
    std::size_t read = 0;
    std::size_t delivered = 0;
    std::size_t failed = 0;
    bool storeAway = false;
};

struct RelayOptions {
    std::size_t batchSize = 500;
    std::chrono::milliseconds backoffInitial{100};
    std::chrono::milliseconds backoffMax{5000};
};

class OutboxRelay {
  public:
    OutboxRelay(Outbox& outbox, EventPublisher& publisher, RelayOptions options = {})
        : outbox_(outbox), publisher_(publisher), options_(options) {}

    // One batch: read, publish, acknowledge what the broker confirmed.
    boost::asio::awaitable<RelayStep> step();
    // Steps until stop(), backing off (capped) while the store or the broker is away.
    boost::asio::awaitable<void> run();
    void stop() { stopped_ = true; }

    [[nodiscard]] std::size_t deliveredTotal() const { return deliveredTotal_; }

  private:
    Outbox& outbox_;
    EventPublisher& publisher_;
    RelayOptions options_;
    bool retryPending_ = true;  // a restarted relay first finishes what it had in hand
    bool stopped_ = false;
    std::size_t deliveredTotal_ = 0;
};

}  // namespace jkjav::app
