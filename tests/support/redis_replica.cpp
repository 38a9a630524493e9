#include "redis_replica.hpp"

#include <csignal>
#include <stdexcept>

namespace jkjav::testing {

RedisReplica::RedisReplica(std::string dataDir, RedisServer& primary)
    : dataDir_(std::move(dataDir)), primary_(primary) {
    // The primary would otherwise wait 5 s for more replicas before its first (diskless) sync.
    primary_.probe().command({"CONFIG", "SET", "repl-diskless-sync-delay", "0"});
    // redis-server cannot bind port 0 and say which it got: another free port if one was taken.
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = freeLoopbackPort();
        if (launch()) return;
    }
    throw std::runtime_error("redis-server --replicaof did not sync with the primary");
}

RedisReplica::~RedisReplica() {
    probe_.reset();
    process_.reset();
}

bool RedisReplica::launch() {
    probe_.reset();
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        "redis-server", "--bind", "127.0.0.1", "--port", std::to_string(port_), "--dir", dataDir_, "--save",
        "", "--appendonly", "no", "--replicaof", "127.0.0.1", std::to_string(primary_.port())});
    probe_ = std::make_unique<RedisProbe>(port_);
    const std::string ours = "process_id:" + std::to_string(process_->pid()) + "\r\n";
    bool synced = false;
    eventually([&] {
        if (!process_->running()) return true;
        const auto server = probe_->command({"INFO", "server"});
        const auto replication = probe_->command({"INFO", "replication"});
        const auto primarySide = primary_.probe().command({"INFO", "replication"});
        synced = server && server->find(ours) != std::string::npos && replication &&
                 replication->find("master_link_status:up") != std::string::npos && primarySide &&
                 primarySide->find("port=" + std::to_string(port_) + ",state=online") != std::string::npos;
        return synced;
    });
    if (!synced) process_.reset();
    return synced;
}

void RedisReplica::pause() { process_->signal(SIGSTOP); }
void RedisReplica::resume() { process_->signal(SIGCONT); }

}  // namespace jkjav::testing
