// What the crowd measured, as text for people and one JSON line (QUEUE_CROWD_RESULT {...}) for
// bench/waiting_room.sh.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crowd_people.hpp"

namespace jkjav::bench {

// Latencies in microseconds; percentiles by nearest rank.
class LatencyLog {
  public:
    void add(std::int64_t micros) { samples_.push_back(static_cast<std::uint32_t>(micros)); }
    [[nodiscard]] double percentileMs(double p);
    [[nodiscard]] std::size_t count() const { return samples_.size(); }

  private:
    std::vector<std::uint32_t> samples_;
    bool sorted_ = false;
};

struct CrowdFigures {
    std::int64_t opensAtMs = 0;
    std::int64_t slots = 0;
    std::int64_t slotsLeftAtEnd = -1;  // GET /locations once the crowd ended; -1 unknown
    std::int64_t soldOutAtMs = -1;     // the answer of the booking that sold the last slot
    std::int64_t failedRequests = 0;   // no answer or 5xx
    LatencyLog polls;
    LatencyLog bookings;
    LatencyLog pollLateness;  // sent after the moment Retry-After named (never before)
    // The same for polls due later than a second after opensAt: without the opening's burst (every
    // pre-queued ticket is told to come back at opensAt), the client's own lag.
    LatencyLog pollLatenessAfterOpening;
    std::int64_t longestWaitingRetryAfter = 0;    // the largest Retry-After of a `waiting` answer
    std::int64_t waitingRetryAfterAtLeast60 = 0;  // `waiting` answers with Retry-After >= 60 s
    std::int64_t earlyPolls = 0;
    double elapsedSeconds = 0;
};

// Prints the text report and the JSON line; returns the JSON line.
std::string report(const std::vector<Person>& crowd, CrowdFigures& figures);

}  // namespace jkjav::bench
