// A place in the waiting room as its ticket carries it, and the states a place can be in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jkjav::domain {

// What a signed ticket says. `member` is the person's pseudonym in the queue (a keyed hash of their
// id: tickets travel in URLs and logs, ids must not); `rank` their 0-based place in line once known
// (after opensAt), so that status needs no Redis; -1 before the draw. `joinedAtMs` (the store's
// clock) and `estimateSeconds` are when they first joined and the wait they were told then (-1:
// unknown), so the estimate's error can be measured when they are admitted; `admissionSeen` is set
// in the ticket of the first answer that said `admitted`, so that error is measured once per ticket.
struct QueueTicket {
    std::string member;
    std::int64_t rank = -1;
    std::int64_t joinedAtMs = -1;
    std::int64_t estimateSeconds = -1;
    bool admissionSeen = false;
};

// The contract's `state` values.
enum class QueueState { kPrequeue, kWaiting, kAdmitted, kClosed };
std::string_view queueStateName(QueueState state);

}  // namespace jkjav::domain
