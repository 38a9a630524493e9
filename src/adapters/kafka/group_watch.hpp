// When the recorder's consumer should start over from its bootstrap servers: after its consumer
// group has been out of reach, unbroken, for a while, as librdkafka's statistics report it.
//
// librdkafka (2.0.2 here; later versions' coordinator code reads the same) talks to the group
// through a handle of its own for the coordinator, which takes the coordinator broker's address only
// when the coordinator changes to another broker id, or is declared dead by a request that failed.
// A broker that comes back with the same id at another address (the dev broker after a restart, a
// Kafka broker advertised by an IP that changed) while no request was in flight leaves that handle
// connecting to the old address for good: no heartbeat, commit or join gets through, the member
// drops out of the group at its session timeout and never gets partitions back. The fetchers follow
// the broker to its new address (metadata names it), the group does not; only a new consumer,
// finding the coordinator afresh, does.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jkjav::kafka {

// The consumer group's state in a librdkafka statistics report ("up": the coordinator connected),
// nullopt when the report has none (not valid JSON, no "cgrp" object).
std::optional<std::string> groupStateOf(std::string_view statistics);

class GroupWatch {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    // after <= 0: never.
    explicit GroupWatch(std::chrono::milliseconds after) : after_(after) {}

    // A statistics report's group state, as the report is read at `now`.
    void observed(std::string_view state, TimePoint now);
    // True when the reports read over `after` all said the group was not up; the next true is then
    // another `after` of such reports away. Only reports count, by when they were read: a consumer
    // not polled meanwhile (a batch waiting for PostgreSQL) reads none, and its silence is not
    // taken for a group out of reach.
    bool startOver();

  private:
    std::chrono::milliseconds after_;
    std::optional<TimePoint> outOfReachSince_;  // the first report of an unbroken run of "not up"
    TimePoint lastOutOfReach_;                  // the latest report of that run
};

}  // namespace jkjav::kafka
