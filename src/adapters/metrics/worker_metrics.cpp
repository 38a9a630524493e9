#include "adapters/metrics/worker_metrics.hpp"

namespace jkjav::metrics {

using boost::beast::http::verb;
using domain::Outcome;

std::size_t methodIndex(verb method) {
    switch (method) {
        case verb::get:
            return 0;
        case verb::head:
            return 1;
        case verb::post:
            return 2;
        case verb::delete_:
            return 3;
        case verb::put:
            return 4;
        case verb::patch:
            return 5;
        case verb::options:
            return 6;
        default:
            return 7;
    }
}

HttpRequestCells::HttpRequestCells(std::size_t routes)
    : routes_(routes),
      counts_(std::make_unique<CounterCell[]>(routes * kMethodLabels.size() * kStatusCount)),
      latency_(std::make_unique<LatencyCells[]>(routes)) {}

std::optional<std::size_t> bookingOutcomeIndex(Outcome outcome) {
    switch (outcome) {
        case Outcome::kBooked:
            return 0;
        case Outcome::kAlreadyHeld:
            return 1;
        case Outcome::kFull:
            return 2;
        // Both hold a place elsewhere (a booking, or a place in another slot's queue).
        case Outcome::kAlreadyBooked:
        case Outcome::kAlreadyWaitlisted:
            return 3;
        // A location the campaign lacks is a slot it does not offer.
        case Outcome::kUnknownSlot:
        case Outcome::kUnknownLocation:
            return 4;
        case Outcome::kInvalidRequest:
            return 5;
        case Outcome::kNotEligible:
            return 6;
        case Outcome::kWaitlisted:
            return 7;
        case Outcome::kCancelled:
            return 8;
        // Both are answered 503 STORE_UNAVAILABLE: the client could not book right now. An
        // unconfirmed booking too (503 UNCONFIRMED): the client is told to retry.
        case Outcome::kNotSeeded:
        case Outcome::kUnconfirmed:
        case Outcome::kStoreUnavailable:
            return 9;
        // Not decisions about a slot: lookups, and the waiting room's gate (counted by the HTTP
        // counters as 403/400 on /booking until the queue's own metrics come).
        case Outcome::kFound:
        case Outcome::kNotFound:
        case Outcome::kQueueRequired:
        case Outcome::kInvalidTicket:
        case Outcome::kQueueNotOpen:
            break;
    }
    return std::nullopt;
}

}  // namespace jkjav::metrics
