#include "adapters/http/snapshot_publisher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace jkjav::http {

namespace asio = boost::asio;

SnapshotPublisher::SnapshotPublisher(asio::any_io_executor executor, app::AvailabilityService& availability,
                                     app::OutboxBacklog& backlog, const domain::Campaign& campaign,
                                     std::chrono::milliseconds interval, ServiceHealth& health)
    : executor_(std::move(executor)),
      availability_(availability),
      backlog_(backlog),
      campaign_(campaign),
      interval_(interval),
      health_(health),
      timer_(executor_) {}

void SnapshotPublisher::addSubscriber(asio::any_io_executor executor, SnapshotSlot& slot) {
    subscribers_.push_back({std::move(executor), &slot});
}

void SnapshotPublisher::start() { asio::co_spawn(executor_, run(), asio::detached); }

void SnapshotPublisher::stop() {
    stopped_ = true;
    timer_.cancel();
}

asio::awaitable<void> SnapshotPublisher::run() {
    while (!stopped_) {
        const auto started = std::chrono::steady_clock::now();
        co_await refreshOnce();
        if (stopped_) break;
        timer_.expires_at(started + interval_);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> SnapshotPublisher::refreshOnce() {
    const auto takenAt = std::chrono::steady_clock::now();
    auto view = co_await availability_.refresh();
    const bool ready = view.has_value() && availability_.seeded();
    if (ready != health_.storeReady.load(std::memory_order_relaxed)) {
        if (ready) {
            spdlog::info("availability: store ready, snapshots every {} ms", interval_.count());
        } else {
            spdlog::warn("availability: store unavailable; serving the last snapshot");
        }
    }
    health_.storeReady.store(ready, std::memory_order_relaxed);
    if (!view) co_return;
    const auto backlog = co_await backlog_.backlog();
    health_.outboxBacklog.store(backlog.value_or(-1), std::memory_order_relaxed);
    auto snapshot = AvailabilitySnapshot::build(*view, campaign_, takenAt);
    for (const auto& subscriber : subscribers_) {
        asio::post(subscriber.executor, [slot = subscriber.slot, snapshot] { slot->replace(snapshot); });
    }
}

}  // namespace jkjav::http
