// A Redis primary, one replica and three redis-sentinel processes watching them (quorum 2,
// down-after-milliseconds 1000), on free loopback ports in a temporary directory, stopped by PID:
// the replicated topology of docs/cluster.md, for tests.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "process.hpp"

namespace jkjav::testing {

class SentinelCluster {
  public:
    static constexpr const char* kMasterName = "jkjav";

    SentinelCluster();
    ~SentinelCluster();
    // Starts everything and waits (polling, bounded) until every Sentinel knows the primary, its
    // replica and the two other Sentinels: ready for a failover. Throws when that does not happen.
    void start();

    // "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3": REDIS_SENTINELS.
    [[nodiscard]] std::string sentinelList() const;
    // The primary's URL as started (seeding, probes): not where the primary is after a failover.
    [[nodiscard]] std::string initialPrimaryUrl() const { return servers_[0]->url(); }
    // Where the first answering Sentinel says the primary is now (0: none answered).
    int primaryPort();
    // The Redis server on `port` (one of the two), for looking at its data directly.
    RedisProbe& probeAt(int port);
    // `SENTINEL FAILOVER` on one Sentinel; returns once the Sentinels name the other server and it
    // says ROLE master (false: not within the deadline), after making the old primary its replica
    // (as Sentinel does, later). Both servers have min-replicas-to-write 1: no writes without a replica.
    bool failover(std::chrono::milliseconds deadline = std::chrono::milliseconds(15'000));

  private:
    void startSentinel(std::size_t index);
    bool sentinelsReady();

    TempDir dir_;
    std::vector<std::unique_ptr<RedisServer>> servers_;  // [0] starts as primary, [1] as its replica
    std::vector<int> sentinelPorts_;
    std::vector<std::unique_ptr<ChildProcess>> sentinels_;
    std::vector<std::unique_ptr<RedisProbe>> sentinelProbes_;
};

}  // namespace jkjav::testing
