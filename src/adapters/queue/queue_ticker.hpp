// The waiting room's heartbeat, one per server: every interval one admission round (admit.lua, safe
// with any number of servers), then the queue's figures go to every worker thread as a snapshot,
// from which status answers come without a store round trip. Once the queue is open it also reads
// the pre-queue's draw once and publishes it with every snapshot.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "adapters/supervision/supervised_loop.hpp"
#include "app/ports/queue_store.hpp"
#include "app/queue_snapshot.hpp"
#include "domain/queue_rules.hpp"

namespace jkjav::queue {

class QueueTicker {
  public:
    QueueTicker(boost::asio::any_io_executor executor, app::QueueStore& store,
                const domain::QueueSettings& settings, std::chrono::milliseconds interval);

    // Register every worker before start(); `slot` is only ever touched on `executor`.
    void addSubscriber(boost::asio::any_io_executor executor, app::QueueSnapshotSlot& slot);
    // The admission rounds, restarted after a throw as `supervision` says.
    void start(const supervision::Supervision& supervision = {});
    void stop();
    // The last snapshot (null before the first round answered); from any thread, for metrics.
    [[nodiscard]] std::shared_ptr<const app::QueueSnapshot> latest() const;

  private:
    struct Subscriber {
        boost::asio::any_io_executor executor;
        app::QueueSnapshotSlot* slot;
    };
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<void> tickOnce();
    // Reads the draw (in pages) when it is not yet published or no longer matches the store's count.
    boost::asio::awaitable<void> publishDraw(const app::QueueFigures& figures);

    boost::asio::any_io_executor executor_;
    app::QueueStore& store_;
    domain::QueueSettings settings_;
    std::chrono::milliseconds interval_;
    boost::asio::steady_timer timer_;
    std::vector<Subscriber> subscribers_;
    domain::AdmissionRateMeter meter_;
    domain::AdmissionRateMeter takenMeter_;  // slots taken: the same window, the same rules
    std::int64_t lastRemaining_ = -1;
    std::int64_t takenTotal_ = 0;  // slots seen going, never back: a monotone count
    std::shared_ptr<const app::QueueDraw> draw_;
    bool stopped_ = false;
    bool wasClosed_ = false;
    bool wasPaused_ = false;
    std::uint64_t closesSeen_ = 0;
    mutable std::mutex latestMutex_;  // guards latest_: the ticker writes it, a scrape reads it
    std::shared_ptr<const app::QueueSnapshot> latest_;
};

}  // namespace jkjav::queue
