#include "adapters/queue/queue_ticker.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace jkjav::queue {

namespace asio = boost::asio;

QueueTicker::QueueTicker(asio::any_io_executor executor, app::QueueStore& store,
                         const domain::QueueSettings& settings, std::chrono::milliseconds interval)
    : executor_(std::move(executor)),
      store_(store),
      settings_(settings),
      interval_(interval),
      timer_(executor_) {}

void QueueTicker::addSubscriber(asio::any_io_executor executor, app::QueueSnapshotSlot& slot) {
    subscribers_.push_back({std::move(executor), &slot});
}

std::shared_ptr<const app::QueueSnapshot> QueueTicker::latest() const {
    const std::lock_guard lock(latestMutex_);
    return latest_;
}

void QueueTicker::start() { asio::co_spawn(executor_, run(), asio::detached); }

void QueueTicker::stop() {
    stopped_ = true;
    timer_.cancel();
}

asio::awaitable<void> QueueTicker::run() {
    while (!stopped_) {
        const auto started = std::chrono::steady_clock::now();
        co_await tickOnce();
        if (stopped_) break;
        timer_.expires_at(started + interval_);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

asio::awaitable<void> QueueTicker::tickOnce() {
    const auto takenAt = std::chrono::steady_clock::now();
    const app::AdmissionRound round = co_await store_.admit();
    if (!round.answered) co_return;  // keep the last snapshot: status answers stay as they were
    const app::QueueFigures& figures = round.figures;
    const bool open = figures.nowMs >= settings_.opensAtMs;
    const bool closed = open && figures.remaining <= 0;
    // The rate is measured only while it means something: open, not sold out, not paused, and
    // people waiting. A pause forgets it: after resuming, admission runs at the configured rate
    // (admit.lua saves up no backlog), and estimates say so until a new measure exists.
    if (open && !closed && !figures.paused && figures.length > figures.admittedUpTo) {
        meter_.record(figures.nowMs, figures.admittedTotal);
    } else {
        meter_.reset();
    }
    if (closed != wasClosed_) {
        const std::int64_t inLine = figures.length - figures.admittedUpTo;
        if (closed) {
            ++closesSeen_;
            spdlog::info("queue: sold out, closed ({} in line)", inLine);
        } else {
            spdlog::info("queue: slots again, open ({} in line)", inLine);
        }
        wasClosed_ = closed;
    }
    if (figures.paused != wasPaused_) {
        spdlog::warn("queue: admission {} by an operator ({} in line)", figures.paused ? "paused" : "resumed",
                     figures.length - figures.admittedUpTo);
        wasPaused_ = figures.paused;
    }
    auto snapshot = std::make_shared<app::QueueSnapshot>();
    snapshot->figures = figures;
    // While paused (no measure), estimates count from resumption at the rate admission will resume at.
    const double configured = figures.admitPerSecond > 0 ? figures.admitPerSecond : settings_.admitPerSecond;
    snapshot->admitPerSecond = meter_.perSecond().value_or(configured);
    snapshot->closesSeen = closesSeen_;
    snapshot->takenAt = takenAt;
    std::shared_ptr<const app::QueueSnapshot> shared = std::move(snapshot);
    {
        const std::lock_guard lock(latestMutex_);
        latest_ = shared;
    }
    for (const auto& subscriber : subscribers_) {
        asio::post(subscriber.executor, [slot = subscriber.slot, shared] { slot->replace(shared); });
    }
}

}  // namespace jkjav::queue
