#include "adapters/queue/queue_ticker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

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

void QueueTicker::start(const supervision::Supervision& supervision) {
    supervision::spawnSupervised(
        executor_, "queue ticker", [this] { return run(); }, supervision);
}

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
    // Slots taken, counted as the drops of the total between rounds (what comes back is not
    // taken back): with the admission rate, how soon the queue could close (Retry-After).
    if (lastRemaining_ > figures.remaining) takenTotal_ += lastRemaining_ - figures.remaining;
    lastRemaining_ = figures.remaining;
    // The rates are measured only while they mean something: open, not sold out, not paused, and
    // people waiting. A pause forgets them: after resuming, admission runs at the configured rate
    // (admit.lua saves up no backlog), and estimates say so until a new measure exists.
    if (open && !closed && !figures.paused && figures.length > figures.admittedUpTo) {
        meter_.record(figures.nowMs, figures.admittedTotal);
        takenMeter_.record(figures.nowMs, takenTotal_);
    } else {
        meter_.reset();
        takenMeter_.reset();
    }
    if (open) co_await publishDraw(figures);
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
    snapshot->slotsTakenPerSecond = takenMeter_.perSecond().value_or(0);
    snapshot->admissionCap = domain::admissionCap(figures.remaining, settings_.overAdmitFactor);
    snapshot->draw = draw_;
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

asio::awaitable<void> QueueTicker::publishDraw(const app::QueueFigures& figures) {
    const auto wanted = static_cast<std::size_t>(
        std::min<std::int64_t>(figures.preQueued, static_cast<std::int64_t>(app::QueueDraw::kMaxPlaces)));
    if (wanted == 0) {
        draw_ = nullptr;  // nobody drew (or the store was emptied): nothing to publish
        co_return;
    }
    if (draw_ && draw_->size() == wanted) co_return;
    // Once per server: sorting 200,000 places takes this worker about 200 ms (measured), besides the reads.
    // Pages keep each read short for Redis, which serves everyone else in between.
    constexpr std::int64_t kPage = 50'000;
    std::vector<std::string> members;
    members.reserve(wanted);
    while (members.size() < wanted) {
        const auto from = static_cast<std::int64_t>(members.size());
        const auto count = std::min<std::int64_t>(kPage, static_cast<std::int64_t>(wanted) - from);
        app::QueueDrawPage page = co_await store_.drawn(from, count);
        if (!page.answered) co_return;  // the next tick tries again; status asks the store meanwhile
        if (page.members.empty()) break;
        for (auto& member : page.members) members.push_back(std::move(member));
    }
    draw_ = std::make_shared<const app::QueueDraw>(members);
    spdlog::info("queue: the draw is published ({} places)", draw_->size());
}

}  // namespace jkjav::queue
