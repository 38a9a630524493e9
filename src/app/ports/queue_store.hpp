// Port: where the waiting room lives. Every call is one atomic step on the shared store, so any
// number of servers can share one queue and its limits still hold exactly.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/outcome.hpp"
#include "domain/queue_rules.hpp"

namespace jkjav::app {

// The queue as a whole at one moment of the store's clock.
struct QueueFigures {
    std::int64_t nowMs = 0;          // the store's clock (Redis TIME), the one clock all servers share
    std::int64_t admittedUpTo = 0;   // places [0, admittedUpTo) have been admitted, in order
    std::int64_t length = 0;         // everyone who ever joined (places are never reused)
    std::int64_t preQueued = 0;      // of them, in the draw at opensAt
    std::int64_t outstanding = 0;    // admissions neither used nor expired
    std::int64_t remaining = 0;      // slots left in the whole campaign; 0: the queue is closed
    std::int64_t admittedTotal = 0;  // admissions ever given (for the measured rate and metrics)
    std::int64_t expiredTotal = 0;   // admissions that lapsed unused
    bool paused = false;             // an operator paused admission (jkjav-admin queue pause)
    double admitPerSecond = 0;       // the rate admission runs at: the operator's, else the campaign's
};

// One person's place. rank -1: not in the queue, or not yet drawn (before opensAt).
struct QueuePlace {
    std::int64_t rank = -1;
    std::int64_t admissionExpiresAtMs = -1;  // -1: holds no admission now
};

// outcome: kFound for a place (new or the one they had); or kAlreadyBooked, kQueueNotOpen,
// kNotSeeded, kStoreUnavailable.
struct QueueJoinResult {
    domain::Outcome outcome = domain::Outcome::kStoreUnavailable;
    QueuePlace place;
    QueueFigures figures;
};

struct QueuePlaceResult {
    bool answered = false;  // false: the store did not answer
    QueuePlace place;
    QueueFigures figures;
};

// When a person first joined and the wait they were told then (the store's clock; -1: unknown).
struct QueueJoinRecord {
    bool answered = false;
    std::int64_t joinedAtMs = -1;
    std::int64_t estimateSeconds = -1;
};

struct AdmissionRound {
    bool answered = false;
    std::int64_t admittedNow = 0;  // by this round
    QueueFigures figures;
};

// A page of the draw: the members ranked [from, from + members.size()) by the draw at opensAt.
struct QueueDrawPage {
    bool answered = false;
    std::vector<std::string> members;
};

// The store is made for one campaign's QueueSettings (opensAt, rate, cap, admission time).
class QueueStore {
  public:
    virtual ~QueueStore() = default;
    // Gives `member` (the person's pseudonym) a place, or answers the one they have. Before
    // opensAt the place is ranked by `drawKey` (domain::drawKey), after it behind everyone. A
    // person holding a booking (`personId`) is refused with kAlreadyBooked.
    virtual boost::asio::awaitable<QueueJoinResult> join(std::string_view member, std::string_view personId,
                                                         double drawKey) = 0;
    // rank stays -1 before opensAt: the draw has not ranked anyone yet.
    virtual boost::asio::awaitable<QueuePlaceResult> place(std::string_view member) = 0;
    // Keeps the first join's time and estimate of `member`, or answers those kept: joining again
    // then gives the same ticket, and the estimate's error is measured against what was first told.
    virtual boost::asio::awaitable<QueueJoinRecord> recordJoin(std::string_view member,
                                                               std::int64_t joinedAtMs,
                                                               std::int64_t estimateSeconds) = 0;
    // One admission round (the store's own atomic sums, on its clock): expires
    // lapsed admissions, admits what fell due since the last round of any server, within the cap.
    virtual boost::asio::awaitable<AdmissionRound> admit() = 0;
    // Up to `count` of the drawn places from rank `from`, in rank order (only those drawn at
    // opensAt). Ask only once the queue is open: then the draw never changes.
    virtual boost::asio::awaitable<QueueDrawPage> drawn(std::int64_t from, std::int64_t count) = 0;
};

}  // namespace jkjav::app
