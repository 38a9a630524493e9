#include "domain/queue_ticket.hpp"

namespace jkjav::domain {

std::string_view queueStateName(QueueState state) {
    switch (state) {
        case QueueState::kPrequeue:
            return "prequeue";
        case QueueState::kWaiting:
            return "waiting";
        case QueueState::kAdmitted:
            return "admitted";
        case QueueState::kClosed:
            return "closed";
    }
    return "closed";
}

}  // namespace jkjav::domain
