// Refreshes availability every interval and hands the new snapshot to every worker thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/availability_snapshot.hpp"
#include "adapters/http/service_health.hpp"
#include "adapters/supervision/supervised_loop.hpp"
#include "app/availability_service.hpp"
#include "app/ports/outbox.hpp"

namespace jkjav::http {

// The figures of the last snapshot published, for metrics (slots remaining, snapshot age).
struct PublishedFigures {
    struct Slot {
        std::string location;
        std::string date;  // YYYY-MM-DD
        std::int64_t remaining = 0;
    };
    std::vector<Slot> slots;
    std::chrono::steady_clock::time_point takenAt;
};

class SnapshotPublisher {
  public:
    SnapshotPublisher(boost::asio::any_io_executor executor, app::AvailabilityService& availability,
                      app::OutboxBacklog& backlog, const domain::Campaign& campaign,
                      std::chrono::milliseconds interval, ServiceHealth& health);

    // Register every worker before start(); `slot` is only ever touched on `executor`.
    void addSubscriber(boost::asio::any_io_executor executor, SnapshotSlot& slot);
    // The refresh loop, restarted after a throw as `supervision` says.
    void start(const supervision::Supervision& supervision = {});
    void stop();

    // The last figures published; nullptr before the first snapshot. Safe from any thread: a lock
    // taken once per refresh and once per scrape, never on the request path.
    [[nodiscard]] std::shared_ptr<const PublishedFigures> latestFigures() const;

  private:
    struct Subscriber {
        boost::asio::any_io_executor executor;
        SnapshotSlot* slot;
    };
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<void> refreshOnce();
    void reportCampaign(const app::AvailabilityRefresh& refreshed);
    void publishFigures(const app::AvailabilityView& view, std::chrono::steady_clock::time_point takenAt);
    static constexpr std::chrono::seconds kAlarmRepeat{30};

    boost::asio::any_io_executor executor_;
    app::AvailabilityService& availability_;
    app::OutboxBacklog& backlog_;
    const domain::Campaign& campaign_;
    std::chrono::milliseconds interval_;
    ServiceHealth& health_;
    boost::asio::steady_timer timer_;
    std::vector<Subscriber> subscribers_;
    bool stopped_ = false;
    std::optional<bool> storeUp_;  // unknown until Redis first answers
    std::string lastEpoch_;
    std::chrono::steady_clock::time_point lastAlarm_{};
    mutable std::mutex figuresMutex_;
    std::shared_ptr<const PublishedFigures> figures_;
};

}  // namespace jkjav::http
