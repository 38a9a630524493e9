// A replica of a test's RedisServer: redis-server --replicaof on a free port, ready once it has
// synced (master_link_status:up) and the primary counts it online. pause() stops it acknowledging
// anything (SIGSTOP) while its connection to the primary stays open: the "slow replica" of WAIT.
#pragma once

#include <memory>
#include <string>

#include "fixtures.hpp"
#include "process.hpp"

namespace jkjav::testing {

class RedisReplica {
  public:
    // dataDir: its own (not the primary's: a full sync writes an RDB file there).
    RedisReplica(std::string dataDir, RedisServer& primary);
    ~RedisReplica();
    void pause();   // SIGSTOP
    void resume();  // SIGCONT
    [[nodiscard]] int port() const { return port_; }
    RedisProbe& probe() { return *probe_; }

  private:
    bool launch();  // true once synced with the primary

    std::string dataDir_;
    RedisServer& primary_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
    std::unique_ptr<RedisProbe> probe_;
};

}  // namespace jkjav::testing
