// The waiting room as last seen by this server's admission ticker, handed to every worker thread so
// that status answers need no store round trip. Also what metrics and `jkjav-admin queue status`
// read: one picture of the queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "app/ports/queue_store.hpp"
#include "app/queue_draw.hpp"

namespace jkjav::app {

struct QueueSnapshot {
    QueueFigures figures;
    double admitPerSecond = 0;       // measured over the last seconds, else the effective configured rate
    double slotsTakenPerSecond = 0;  // measured like the admissions; 0 until known
    std::int64_t admissionCap = 0;   // floor(overAdmitFactor x remaining), as the round judged it
    std::uint64_t closesSeen = 0;    // sell-outs that closed the queue, as this server's ticker saw them
    // Once the queue is open: the draw, read once from the store and shared by every snapshot (null
    // until the ticker has read it, and when nobody joined before opensAt).
    std::shared_ptr<const QueueDraw> draw;
    std::chrono::steady_clock::time_point takenAt;
};

// One per worker thread, touched only on that thread (the ticker posts replacements to it).
class QueueSnapshotSlot {
  public:
    [[nodiscard]] const std::shared_ptr<const QueueSnapshot>& shared() const { return current_; }
    void replace(std::shared_ptr<const QueueSnapshot> next) { current_ = std::move(next); }

  private:
    std::shared_ptr<const QueueSnapshot> current_;
};

}  // namespace jkjav::app
