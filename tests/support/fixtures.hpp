// Real servers for integration tests: a redis-server and a jkjav-server on loopback. jkjav-server
// binds port 0 and says which port it got (PORT_FILE); redis-server cannot, so it gets a free port
// and another one if that was taken in between.
#pragma once

#include <hiredis/hiredis.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "process.hpp"

namespace jkjav::testing {

// A synchronous hiredis connection: the test's own look into Redis, independent of the server.
class RedisProbe {
  public:
    explicit RedisProbe(int port, std::string password = "");
    ~RedisProbe();
    // nullopt when Redis is not answering.
    std::optional<std::string> command(const std::vector<std::string>& args);
    long long integer(const std::vector<std::string>& args);
    // The newest `count` entries of a stream, newest first, each as its field -> value map.
    std::vector<std::map<std::string, std::string>> newestEntries(const std::string& stream, int count);

  private:
    int port_;
    std::string password_;
    redisContext* context_ = nullptr;
};

class RedisServer {
  public:
    // appendOnly: keep data in an AOF under dataDir so a restarted Redis still has it. port 0: a free
    // one, chosen now; should another process take it before the first start(), and nobody has
    // asked for port() or url() yet, start() moves to another. A restart is on the same port.
    explicit RedisServer(std::string dataDir, bool appendOnly = false, int port = 0,
                         std::string password = "");
    ~RedisServer();
    void start();
    void kill();    // SIGKILL: a crash, not a shutdown
    void pause();   // SIGSTOP: connected, but answering nothing
    void resume();  // SIGCONT
    // Bytes sent to this Redis that it has not read yet (all its connections): while paused, proof
    // that a command reached it.
    [[nodiscard]] long long unreadBytes() const;
    [[nodiscard]] int port() const {
        portGivenOut_ = true;
        return port_;
    }
    [[nodiscard]] std::string url() const {
        portGivenOut_ = true;
        return "redis://" + (password_.empty() ? "" : ":" + password_ + "@") +
               "127.0.0.1:" + std::to_string(port_);
    }
    RedisProbe& probe() { return *probe_; }

  private:
    // true once this very process answers PING (not another test's Redis on the same port).
    bool launch();

    std::string dataDir_;
    bool appendOnly_;
    int port_;
    mutable bool portGivenOut_;  // true: clients know port_, so it is kept even when taken
    std::string password_;
    std::unique_ptr<ChildProcess> process_;
    std::unique_ptr<RedisProbe> probe_;
};

class JkjavServer {
  public:
    JkjavServer(std::string campaignFile, std::string redisUrl,
                std::map<std::string, std::string> extraEnv = {}, std::string logFile = "/dev/null");
    ~JkjavServer();
    // waitReady: seeds the campaign (jkjav-admin seed; a no-op once seeded), starts and waits for
    // /readyz. Otherwise starts without seeding and waits for /healthz only. The first start binds
    // port 0 and reads the port from PORT_FILE; a later one (a restart) binds the same port again.
    void start(bool waitReady = true);
    // SIGTERM and wait; the exit status.
    std::optional<int> stop();
    void kill();
    [[nodiscard]] int port() const { return port_; }
    ChildProcess& process() { return *process_; }

  private:
    std::string campaignFile_;
    std::string redisUrl_;
    std::map<std::string, std::string> extraEnv_;
    std::string logFile_;
    TempDir portDir_;
    int port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// The port a starting jkjav-server wrote to its PORT_FILE; throws when the process exits first or
// nothing is written within 10 s.
int readPortFile(const std::string& path, ChildProcess& process);

std::string serverBinary();

// What jkjav-admin printed (stdout and stderr) and how it exited (nullopt: it hung past 30 s).
struct AdminRun {
    std::optional<int> exitCode;
    std::string output;
};
AdminRun runAdmin(const std::vector<std::string>& args);

// `jkjav-admin seed --campaign <file> --redis-url <url>`: how every test opens its campaign.
AdminRun seedCampaign(const std::string& campaignFile, const std::string& redisUrl, bool force = false);

}  // namespace jkjav::testing
