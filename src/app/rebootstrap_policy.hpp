// When the relay's broker client should start over from its bootstrap servers: after a while in
// which events were waiting and not one was confirmed. A client keeps the broker addresses it once
// learned; when all of them are gone (a broker restarted elsewhere, a name now resolving to
// another address), only a fresh bootstrap finds the cluster again.
#pragma once

#include <chrono>
#include <optional>

namespace jkjav::app {

struct RelayStep;

class RebootstrapPolicy {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // after <= 0: never.
    explicit RebootstrapPolicy(std::chrono::milliseconds after) : after_(after) {}

    // After each batch, with the time it started and now: true when it is time to start over;
    // the next start over is then another `after` away.
    bool afterBatch(const RelayStep& step, TimePoint started, TimePoint now);

  private:
    std::chrono::milliseconds after_;
    std::optional<TimePoint> failingSince_;  // start of the first batch of an unbroken run of failures
};

}  // namespace jkjav::app
