#include "app/rebootstrap_policy.hpp"

#include "app/outbox_relay.hpp"

namespace jkjav::app {

bool RebootstrapPolicy::afterBatch(const RelayStep& step, TimePoint started, TimePoint now) {
    if (after_ <= std::chrono::milliseconds::zero()) return false;
    if (step.delivered > 0 || (step.read == 0 && !step.storeAway)) {
        failingSince_.reset();  // the broker confirmed something, or nothing was waiting
        return false;
    }
    if (step.read == 0) return false;  // the store was away: that says nothing about the broker
    if (!failingSince_) failingSince_ = started;
    if (now - *failingSince_ < after_) return false;
    failingSince_ = now;
    return true;
}

}  // namespace jkjav::app
