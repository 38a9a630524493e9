#include "app/event_recorder.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace jkjav::app {
namespace {

// Waits `delay` or until `stop`; true when stopped.
bool pauseFor(std::chrono::milliseconds delay, std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any woken;
    std::unique_lock lock(mutex);
    woken.wait_for(lock, stop, delay, [] { return false; });
    return stop.stop_requested();
}

}  // namespace

StepOutcome EventRecorder::step(std::stop_token stop) {
    const ConsumedBatch batch = source_.next(options_.batchMax, options_.batchWait);
    if (batch.empty()) {
        observer_.lagMeasured(source_.lag());
        return StepOutcome::kIdle;
    }
    if (batch.malformed > 0) observer_.malformedSkipped(batch.malformed);

    auto backoff = options_.backoffInitial;
    while (!batch.events.empty()) {
        const auto started = clock_.now();
        const RecordResult result = record_.record(batch.events);
        if (result.stored) {
            observer_.batchRecorded(batch.events.size(), result, clock_.now() - started);
            break;
        }
        observer_.storeFailed();
        // Nothing was committed anywhere: on a stop the batch comes again to whoever takes over.
        if (pauseFor(backoff, stop)) return StepOutcome::kAbandoned;
        backoff = std::min(backoff * 2, options_.backoffMax);
    }
    // A commit the broker did not confirm only means a redelivery, which changes nothing.
    source_.commit();
    observer_.lagMeasured(source_.lag());
    return StepOutcome::kCommitted;
}

void EventRecorder::run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        if (step(stop) == StepOutcome::kAbandoned) return;
    }
}

}  // namespace jkjav::app
