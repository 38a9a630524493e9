// Which replicas must hold a write before it is acknowledged, decided from what the Sentinels say,
// without I/O (AckQuorumWatch asks them; docs/partitions.md has the argument). A write is
// acknowledged once every replica of the primary that a majority of all Sentinels holds alive has
// it: a replica leaves that set only on a majority's verdict that it is down (s_down), so a replica
// cut off with a minority of Sentinels is still waited for, and the side that can promote it never
// lacks a write that was acknowledged on the other.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/sentinel_replies.hpp"

namespace jkjav::redis {

// What one Sentinel answered: where the primary is and the replicas it knows of it.
struct SentinelReport {
    HostPort primary;
    std::vector<ReplicaReport> replicas;
};

// The Sentinel majority's verdict: the primary, and how many of its replicas a write must reach.
struct AckVerdict {
    HostPort primary;
    int replicas = 0;
    std::vector<HostPort> excluded;  // replicas a majority holds down: not waited for
    friend bool operator==(const AckVerdict&, const AckVerdict&) = default;
};

// `reports` holds one entry per configured Sentinel, nullopt for one that did not answer. A verdict
// needs a majority of all `reports` naming the same primary; a replica is left out only when a
// majority of all of them says it is down (a replica a Sentinel does not list counts as alive) and
// the primary does not hear from it either (`heardByPrimary`): WAIT counts any replica that holds
// the write, so one the primary still streams to must be counted too, or it could stand in for a
// replica that lacks the write. Never fewer than `floor` replicas (REDIS_MIN_REPLICAS).
std::optional<AckVerdict> decideAck(std::span<const std::optional<SentinelReport>> reports,
                                    std::span<const HostPort> heardByPrimary, int floor);

// The replicas a primary's `INFO replication` lists as online with an acknowledgement no older than
// `maxLagSeconds` ("slave0:ip=10.0.0.2,port=6379,state=online,offset=42,lag=0").
std::vector<HostPort> replicasHeardFrom(std::string_view infoReplication, int maxLagSeconds);

// The verdict in force, shared by every thread: the watch grants one for a lease, and a write may be
// acknowledged only on the primary it names while the lease runs. Expired, or another primary:
// nothing may be acknowledged, and the caller does not write at all.
class AckLease {
  public:
    using Clock = std::chrono::steady_clock;
    void grant(AckVerdict verdict, Clock::time_point until);
    // The replicas a write on `server` must reach, now; nullopt: no write may be acknowledged there.
    [[nodiscard]] std::optional<int> replicasFor(const HostPort& server, Clock::time_point now) const;
    [[nodiscard]] std::optional<AckVerdict> current(Clock::time_point now) const;

  private:
    struct Granted {
        AckVerdict verdict;
        Clock::time_point until;
    };
    mutable std::mutex mutex_;  // held for a copy of an int and a comparison: no contention to speak of
    std::optional<Granted> granted_;
};

}  // namespace jkjav::redis
