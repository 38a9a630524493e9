// Port: hears the waiting room's decisions, e.g. to count them for metrics. The use case decides, so
// counting here sees every join exactly once, whichever adapter asked.
#pragma once

#include "domain/outcome.hpp"

namespace jkjav::app {

class QueueObserver {
  public:
    virtual ~QueueObserver() = default;
    // Once per join QueueService::join() answered: kFound (a place, new or the one held),
    // kAlreadyBooked, kNotEligible, kInvalidRequest, kQueueNotOpen, or the store's failures.
    virtual void joinDecided(domain::Outcome outcome) = 0;
    // Once per ticket, when a status answer first says `admitted`: the error of the wait estimate
    // the ticket was given at join (domain::waitEstimateError). Called on the caller's thread.
    virtual void firstAdmitted(double estimateError) = 0;
};

// For use cases nobody observes (tools, tests): does nothing.
QueueObserver& noQueueObserver();

}  // namespace jkjav::app
