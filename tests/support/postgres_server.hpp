// A real PostgreSQL for tests: initdb into a fresh directory, the postgres server on a free
// loopback port (no socket files shared with anyone), stopped, restarted or killed by PID.
// As root, both run as the `postgres` user (setpriv): PostgreSQL refuses to run as root.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace jkjav::testing {

class PostgresServer {
  public:
    // initdb now (superuser jkjav, trust on loopback); start() to run it.
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // Starts (again: on the same port and data) and waits until it accepts connections.
    void start();
    void stop();  // fast shutdown (SIGINT): connections are cut, committed data kept
    void kill();  // SIGKILL: a crash; start() recovers from the WAL

    // A new empty database for one test; its libpq URI.
    std::string createDatabase(const std::string& name);
    [[nodiscard]] std::string url(const std::string& database = "postgres") const;
    [[nodiscard]] int port() const { return port_; }

  private:
    bool launch();

    TempDir root_;
    std::string dataDir_;
    std::string logFile_;
    int port_;
    std::unique_ptr<ChildProcess> process_;
};

// The test's own look into PostgreSQL (libpqxx), independent of the recorder. Each call connects
// anew, so it works across restarts; nullopt/empty when the query fails.
std::optional<std::string> sqlValue(const std::string& url, const std::string& query);
std::vector<std::vector<std::string>> sqlRows(const std::string& url, const std::string& query);
bool sqlExec(const std::string& url, const std::string& statement);

}  // namespace jkjav::testing
