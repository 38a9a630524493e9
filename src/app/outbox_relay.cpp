#include "app/outbox_relay.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace jkjav::app {

boost::asio::awaitable<RelayStep> OutboxRelay::step() {
    RelayStep result;
    const auto started = clock_.now();
    auto batch = co_await outbox_.nextBatch(options_.batchSize, retryPending_);
    if (!batch) {
        result.storeAway = true;
        co_return result;
    }
    if (stopped_) {
        // Stopping: read while waiting for new events, not started. They stay pending under this
        // consumer's name and are delivered by its next start (or claimed by another relay).
        retryPending_ = true;
        co_return result;
    }
    result.read = batch->size();
    if (batch->empty()) {
        retryPending_ = false;
        rebootstrap_.afterBatch(result, started, clock_.now());
        co_return result;
    }

    if (!co_await outbox_.confirmReplicated()) {
        // A failover now could lose these bookings, and their events would name bookings that do
        // not exist: nothing is published; the entries stay pending and come back with retryPending.
        result.unreplicated = true;
        retryPending_ = true;
        unreplicatedTotal_.store(unreplicatedTotal_.load(std::memory_order_relaxed) + 1,
                                 std::memory_order_relaxed);
        co_return result;
    }
    const std::vector<bool> confirmed = co_await publisher_.publish(*batch);
    std::vector<std::string> delivered;
    delivered.reserve(batch->size());
    for (std::size_t i = 0; i < batch->size(); ++i) {
        if (i < confirmed.size() && confirmed[i]) delivered.push_back((*batch)[i].entryId);
    }
    result.delivered = delivered.size();
    result.failed = batch->size() - delivered.size();
    // Unconfirmed entries stay pending in the outbox and come back with retryPending.
    retryPending_ = result.failed > 0;
    if (!delivered.empty() && !co_await outbox_.acknowledge(delivered)) {
        // Delivered but not acknowledged: they will be delivered again (same eventId).
        result.storeAway = true;
        retryPending_ = true;
    }
    deliveredTotal_.store(deliveredTotal_.load(std::memory_order_relaxed) + result.delivered,
                          std::memory_order_relaxed);
    if (rebootstrap_.afterBatch(result, started, clock_.now())) {
        co_await publisher_.rebootstrap();
        result.rebootstrapped = true;
    }
    co_return result;
}

boost::asio::awaitable<void> OutboxRelay::run() {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    auto backoff = options_.backoffInitial;
    while (!stopped_) {
        const RelayStep result = co_await step();
        if (stopped_) break;
        if (result.storeAway || result.unreplicated || result.failed > 0) {
            timer.expires_after(backoff);
            backoff_ = &timer;
            co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
            backoff_ = nullptr;
            backoff = std::min(backoff * 2, options_.backoffMax);
        } else {
            backoff = options_.backoffInitial;
        }
    }
}

void OutboxRelay::stop() {
    stopped_ = true;
    if (backoff_ != nullptr) backoff_->cancel();
}

}  // namespace jkjav::app
