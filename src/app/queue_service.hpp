// Use case: the waiting room. Joining (validated, judged eligible, one place per person), the status
// of a ticket (from this thread's snapshot where it can), and the booking gate's check of a ticket.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/ports/clock.hpp"
#include "app/ports/queue_observer.hpp"
#include "app/ports/queue_store.hpp"
#include "app/ports/queue_tickets.hpp"
#include "app/queue_snapshot.hpp"
#include "domain/booking.hpp"
#include "domain/campaign.hpp"
#include "domain/outcome.hpp"
#include "domain/queue_ticket.hpp"

namespace jkjav::app {

inline constexpr std::string_view kSoldOut = "SOLD_OUT";
inline constexpr std::string_view kAdmissionEnded = "ADMISSION_ENDED";

// The contract's answer of POST /queue and GET /queue/{ticket}.
struct QueueAnswer {
    std::string ticket;  // the same ticket, or a refreshed one once the draw has ranked it
    domain::QueueState state = domain::QueueState::kWaiting;
    std::int64_t ahead = 0;
    std::int64_t estimatedWaitSeconds = 0;
    std::int64_t retryAfterSeconds = 1;
    std::string_view reason;  // closed only: kSoldOut, or kAdmissionEnded (used or lapsed)
    bool waitlist = false;    // closed SOLD_OUT where the campaign offers its waitlist to the line
};

struct QueueRefused {
    domain::Outcome outcome;
    std::string message;
    std::vector<domain::FieldError> errors;
    std::int64_t retryAfterSeconds = 0;  // > 0: answered with Retry-After
};

using QueueOutcome = std::variant<QueueAnswer, QueueRefused>;

inline constexpr std::int64_t kClosedPollSeconds = 30;  // a closed queue may reopen on cancellations
inline constexpr std::int64_t kEndedPollSeconds = 600;
// How long after opensAt pre-queue tickets wait for this server's ticker to publish the draw
// (answered "prequeue, come back in 1 s" from the snapshot) before asking the store one by one.
inline constexpr std::int64_t kDrawPublishGraceMs = 5000;
// How long after opensAt a pre-queue ticket is told to come back: the draw is published by then.
inline constexpr std::int64_t kDrawPublishSeconds = 1;

// The booking gate: the queue member of `personId` when `ticket` is theirs (the store then checks it
// is admitted and unexpired, in the booking's own atomic step); kInvalidTicket for a ticket this
// service did not issue; kQueueRequired for none or another person's.
std::variant<std::string, domain::Outcome> queuePassFor(const QueueTickets& tickets,
                                                        std::optional<std::string_view> ticket,
                                                        std::string_view personId);

class QueueService {
  public:
    QueueService(const domain::Campaign& campaign, const domain::QueueSettings& settings, QueueStore& store,
                 const QueueTickets& tickets, const Clock& clock, const QueueSnapshotSlot& snapshots,
                 std::uint64_t drawSeed, QueueObserver& observer = noQueueObserver());

    boost::asio::awaitable<QueueOutcome> join(std::string_view personId);
    boost::asio::awaitable<QueueOutcome> status(std::string_view ticket);

    [[nodiscard]] const domain::QueueSettings& settings() const { return settings_; }

  private:
    QueueAnswer answer(domain::QueueTicket ticket, const QueuePlace* place, const QueueFigures& figures,
                       std::int64_t nowMs, std::string_view unchangedTicket = {}) const;
    [[nodiscard]] double admissionRate() const;
    boost::asio::awaitable<QueueOutcome> decideJoin(std::string_view personId);
    void noteFirstAdmission(domain::QueueTicket& ticket, const QueuePlace& place, QueueAnswer& answer) const;
    [[nodiscard]] std::int64_t sellOutSeconds(const QueueFigures& figures, double admissionRate) const;

    const domain::Campaign& campaign_;
    domain::QueueSettings settings_;
    QueueStore& store_;
    const QueueTickets& tickets_;
    const Clock& clock_;
    const QueueSnapshotSlot& snapshots_;
    std::mt19937_64 draw_;  // per thread, like the service
    QueueObserver& observer_;
};

}  // namespace jkjav::app
