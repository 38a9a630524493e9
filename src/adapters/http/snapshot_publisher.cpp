#include "adapters/http/snapshot_publisher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
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

void SnapshotPublisher::start(const supervision::Supervision& supervision) {
    supervision::spawnSupervised(
        executor_, "snapshot publisher", [this] { return run(); }, supervision);
}

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
    auto refreshed = co_await availability_.refresh();
    const bool storeAnswered = refreshed.status != app::CampaignStatus::kUnknown;
    // An outage is news once Redis has answered: the first refreshes race the connection's start.
    if (storeUp_.has_value() && *storeUp_ != storeAnswered) {
        if (storeAnswered) {
            spdlog::info("availability: Redis answers again");
        } else {
            spdlog::warn("availability: Redis unavailable; serving the last snapshot");
        }
    }
    if (storeAnswered || storeUp_.has_value()) storeUp_ = storeAnswered;
    if (!storeAnswered) {
        reportCampaign(refreshed);
        co_return;
    }
    // The snapshot goes out before the campaign is reported open: /readyz turns 200 only once the
    // workers have figures to serve (each worker's queue runs the snapshot's post first).
    if (refreshed.view) {  // otherwise the last snapshot stays: the figures are not known
        auto snapshot = AvailabilitySnapshot::build(*refreshed.view, campaign_, takenAt);
        publishFigures(*refreshed.view, takenAt);
        for (const auto& subscriber : subscribers_) {
            asio::post(subscriber.executor, [slot = subscriber.slot, snapshot] { slot->replace(snapshot); });
        }
    }
    reportCampaign(refreshed);
    const auto backlog = co_await backlog_.backlog();
    health_.outboxBacklog.store(backlog.value_or(-1), std::memory_order_relaxed);
    // Only when something waits: an empty outbox costs no second command.
    std::optional<long long> oldest;
    if (backlog == 0) oldest = 0;
    if (backlog > 0) oldest = co_await backlog_.oldestMillis();
    health_.outboxOldestMillis.store(oldest.value_or(-1), std::memory_order_relaxed);
}

std::shared_ptr<const PublishedFigures> SnapshotPublisher::latestFigures() const {
    std::lock_guard lock(figuresMutex_);
    return figures_;
}

void SnapshotPublisher::publishFigures(const app::AvailabilityView& view,
                                       std::chrono::steady_clock::time_point takenAt) {
    auto figures = std::make_shared<PublishedFigures>();
    figures->takenAt = takenAt;
    for (const auto& location : view.locations) {
        for (const auto& date : location.dates)
            figures->slots.push_back({location.location->code, date.date.iso(), date.remaining});
    }
    std::lock_guard lock(figuresMutex_);
    figures_ = std::move(figures);
}

// Logs each change of the campaign's state once, and repeats the alarming ones every
// kAlarmRepeat so that an operator watching the log cannot miss them.
void SnapshotPublisher::reportCampaign(const app::AvailabilityRefresh& refreshed) {
    using app::CampaignStatus;
    const CampaignStatus previous = health_.campaign.exchange(refreshed.status);
    const auto now = std::chrono::steady_clock::now();
    const bool changed = previous != refreshed.status;
    const bool repeatDue = now - lastAlarm_ >= kAlarmRepeat;
    if (refreshed.status == CampaignStatus::kOpen) {
        const std::string& epoch = refreshed.marker->epoch;
        if (changed) {
            spdlog::info("availability: campaign '{}' open (epoch {}, seeded {}), snapshots every {} ms",
                         campaign_.name(), epoch, refreshed.marker->seededAt, interval_.count());
        } else if (epoch != lastEpoch_ && !lastEpoch_.empty()) {
            spdlog::warn("availability: campaign '{}' was seeded again (epoch {} -> {})", campaign_.name(),
                         lastEpoch_, epoch);
        }
        lastEpoch_ = epoch;
        return;
    }
    if (refreshed.status == CampaignStatus::kUnknown || (!changed && !repeatDue)) return;
    lastAlarm_ = now;
    switch (refreshed.status) {
        case CampaignStatus::kNotSeeded:
            spdlog::error(
                "campaign '{}' is not seeded in Redis: bookings are refused until an operator runs "
                "`jkjav-admin seed --campaign <file>`",
                campaign_.name());
            break;
        case CampaignStatus::kMarkerLost:
            spdlog::critical(
                "CAMPAIGN MARKER LOST: Redis no longer holds campaign '{}' (epoch {}), so it lost its "
                "data. Bookings are refused and nothing is re-seeded. Restore Redis from its AOF/replica, "
                "or reopen deliberately with `jkjav-admin seed --campaign <file>`.",
                campaign_.name(), lastEpoch_);
            break;
        case CampaignStatus::kOtherCampaign:
            spdlog::error("Redis holds campaign '{}', not '{}': bookings are refused",
                          refreshed.marker->campaignId, campaign_.name());
            break;
        default:
            break;
    }
}

}  // namespace jkjav::http
