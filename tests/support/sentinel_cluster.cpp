#include "sentinel_cluster.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace jkjav::testing {

namespace {

constexpr int kSentinels = 3;

// The primary's port as the Sentinel on `sentinelPort` names it (0: no answer). RedisProbe answers
// an array with its length only, so this asks through hiredis itself.
int askPrimaryPort(int sentinelPort) {
    const timeval timeout{1, 0};
    redisContext* context = redisConnectWithTimeout("127.0.0.1", sentinelPort, timeout);
    if (context == nullptr || context->err != 0) {
        if (context != nullptr) redisFree(context);
        return 0;
    }
    redisSetTimeout(context, timeout);
    auto* reply = static_cast<redisReply*>(
        redisCommand(context, "SENTINEL get-master-addr-by-name %s", SentinelCluster::kMasterName));
    int port = 0;
    if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
        reply->element[1]->type == REDIS_REPLY_STRING) {
        port = std::atoi(reply->element[1]->str);
    }
    if (reply != nullptr) freeReplyObject(reply);
    redisFree(context);
    return port;
}

}  // namespace

SentinelCluster::SentinelCluster() = default;

SentinelCluster::~SentinelCluster() {
    sentinelProbes_.clear();
    sentinels_.clear();  // SIGKILL and reap
    servers_.clear();
}

void SentinelCluster::start() {
    for (const char* role : {"primary", "replica"}) {
        const std::string dir = dir_.path() + "/" + role;
        std::filesystem::create_directories(dir);
        servers_.push_back(std::make_unique<RedisServer>(dir));
        servers_.back()->start();
    }
    // As the topology's primary (docs/cluster.md): a primary without a
    // replica refuses writes, so one cut off by a failover stops taking bookings it would lose.
    for (auto& server : servers_) {
        for (const auto& [name, value] : {std::pair{"min-replicas-to-write", "1"},
                                          {"min-replicas-max-lag", "5"},
                                          // A full resync after the failover starts at once, not 5 s later.
                                          {"repl-diskless-sync-delay", "0"}}) {
            if (server->probe().command({"CONFIG", "SET", name, value}) != "OK") {
                throw std::runtime_error(std::string("CONFIG SET ") + name + " refused");
            }
        }
    }
    const std::string primaryPort = std::to_string(servers_[0]->port());
    if (servers_[1]->probe().command({"REPLICAOF", "127.0.0.1", primaryPort}) != "OK") {
        throw std::runtime_error("the replica refused REPLICAOF");
    }
    const bool linked = eventually([&] {
        const auto info = servers_[1]->probe().command({"INFO", "replication"});
        return info && info->find("master_link_status:up") != std::string::npos;
    });
    if (!linked) throw std::runtime_error("the replica did not sync with the primary");
    for (std::size_t i = 0; i < kSentinels; ++i) startSentinel(i);
    // Sentinels find the replica through the primary's INFO and each other through hello messages
    // (every 500 ms here): a failover before that could find no replica to promote.
    if (!eventually([&] { return sentinelsReady(); }, std::chrono::milliseconds(20'000))) {
        throw std::runtime_error("the Sentinels did not find the replica and each other within 20 s");
    }
}

void SentinelCluster::startSentinel(std::size_t index) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int port = freeLoopbackPort();
        // Sentinel rewrites its file: one each, in the temporary directory.
        const std::string config = dir_.write(
            "sentinel-" + std::to_string(index) + ".conf",
            "port " + std::to_string(port) + "\nbind 127.0.0.1\ndir " + dir_.path() + "\nsentinel monitor " +
                kMasterName + " 127.0.0.1 " + std::to_string(servers_[0]->port()) +
                " 2\nsentinel down-after-milliseconds " + kMasterName + " 1000\nsentinel failover-timeout " +
                kMasterName + " 5000\nsentinel parallel-syncs " + kMasterName + " 1\n");
        auto process = std::make_unique<ChildProcess>(std::vector<std::string>{"redis-sentinel", config});
        auto probe = std::make_unique<RedisProbe>(port);
        const std::string ours = "process_id:" + std::to_string(process->pid()) + "\r\n";
        const bool answered = eventually([&] {
            if (!process->running()) return true;
            const auto info = probe->command({"INFO", "server"});
            return info && info->find(ours) != std::string::npos;
        });
        // Test pace (Redis 7's SENTINEL DEBUG): the replica's INFO every second, not every 10 s, so
        // SENTINEL FAILOVER never finds it too stale to promote (NOGOODSLAVE after 5 s); hello
        // messages every 500 ms, so the Sentinels find each other sooner.
        if (answered && process->running() &&
            probe->command({"SENTINEL", "DEBUG", "info-period", "1000", "publish-period", "500"}) == "OK") {
            sentinelPorts_.push_back(port);
            sentinels_.push_back(std::move(process));
            sentinelProbes_.push_back(std::move(probe));
            return;
        }
    }
    throw std::runtime_error("redis-sentinel did not start");
}

bool SentinelCluster::sentinelsReady() {
    for (auto& probe : sentinelProbes_) {
        // Arrays come back as their length.
        if (probe->command({"SENTINEL", "replicas", kMasterName}) != "1") return false;
        if (probe->command({"SENTINEL", "sentinels", kMasterName}) != std::to_string(kSentinels - 1))
            return false;
    }
    return true;
}

std::string SentinelCluster::sentinelList() const {
    std::string list;
    for (const int port : sentinelPorts_) {
        if (!list.empty()) list += ",";
        list += "127.0.0.1:" + std::to_string(port);
    }
    return list;
}

int SentinelCluster::primaryPort() {
    for (const int port : sentinelPorts_) {
        if (const int primary = askPrimaryPort(port); primary != 0) return primary;
    }
    return 0;
}

RedisProbe& SentinelCluster::probeAt(int port) {
    for (auto& server : servers_) {
        if (server->port() == port) return server->probe();
    }
    throw std::runtime_error("no Redis server of the cluster on port " + std::to_string(port));
}

bool SentinelCluster::failover(std::chrono::milliseconds deadline) {
    const int before = primaryPort();
    // Refused while a Sentinel still settles (INPROG, NOGOODSLAVE): asked again until the deadline.
    const auto end = std::chrono::steady_clock::now() + deadline;
    const bool started = eventually(
        [&] {
            return sentinelProbes_.front()->command({"SENTINEL", "FAILOVER", kMasterName}) == "OK";
        },
        deadline);
    if (!started) return false;
    deadline = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    int after = 0;
    const bool promoted = eventually(
        [&] {
            after = primaryPort();
            if (after == 0 || after == before) return false;
            const auto info = probeAt(after).command({"INFO", "replication"});
            return info && info->find("role:master") != std::string::npos;
        },
        deadline);
    if (!promoted) return false;
    // Sentinel demotes a reachable old primary only 8 to 18 s later (it waits for its view to settle);
    // done now, as it will be done, so the new primary has its replica (min-replicas-to-write) soon.
    return probeAt(before).command({"REPLICAOF", "127.0.0.1", std::to_string(after)}) == "OK";
}

}  // namespace jkjav::testing
