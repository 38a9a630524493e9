#include "postgres_server.hpp"

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pqxx/pqxx>
#include <stdexcept>

namespace jkjav::testing {
namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin/";

// As root: the command under setpriv as postgres (exec, no fork: signals reach the server itself).
std::vector<std::string> asPostgresUser(std::vector<std::string> argv) {
    if (geteuid() != 0) return argv;
    std::vector<std::string> wrapped{"setpriv",       "--reuid=postgres", "--regid=postgres",
                                     "--init-groups", "--pdeathsig=KILL", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

void giveToPostgresUser(const std::string& path) {
    if (geteuid() != 0) return;
    const passwd* user = getpwnam("postgres");
    if (user == nullptr || chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
        throw std::runtime_error("cannot give " + path + " to the postgres user");
    }
}

}  // namespace

PostgresServer::PostgresServer() : port_(freeLoopbackPort()) {
    chmod(root_.path().c_str(), 0755);
    dataDir_ = root_.path() + "/data";
    logFile_ = root_.path() + "/postgres.log";
    mkdir(dataDir_.c_str(), 0700);
    giveToPostgresUser(dataDir_);
    ChildProcess initdb(asPostgresUser({kBin + "initdb", "-D", dataDir_, "-U", "jkjav", "-A", "trust",
                                        "--no-sync", "--no-locale", "-E", "UTF8"}),
                        {}, root_.path() + "/initdb.log");
    if (initdb.waitForExit(std::chrono::seconds(120)) != 0) {
        throw std::runtime_error("initdb failed: see " + root_.path() + "/initdb.log");
    }
}

PostgresServer::~PostgresServer() {
    if (process_ && process_->running()) stop();
}

bool PostgresServer::launch() {
    // Only TCP on loopback; the socket directory is this fixture's own.
    process_ = std::make_unique<ChildProcess>(
        asPostgresUser({kBin + "postgres", "-D", dataDir_, "-p", std::to_string(port_), "-c",
                        "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dataDir_, "-c",
                        "fsync=off", "-c", "max_connections=50"}),
        std::map<std::string, std::string>{}, logFile_);
    bool answered = false;
    eventually(
        [&] {
            if (!process_->running()) return true;
            answered = sqlValue(url(), "SELECT 1") == "1";
            return answered;
        },
        std::chrono::seconds(60));
    if (!answered) process_.reset();
    return answered;
}

void PostgresServer::start() {
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (launch()) return;
    }
    throw std::runtime_error("postgres did not start on port " + std::to_string(port_) + ": see " + logFile_);
}

void PostgresServer::stop() {
    process_->signal(SIGINT);
    if (!process_->waitForExit(std::chrono::seconds(30))) kill();
}

void PostgresServer::kill() {
    process_->signal(SIGKILL);
    process_->waitForExit(std::chrono::seconds(10));
}

std::string PostgresServer::createDatabase(const std::string& name) {
    if (!sqlExec(url(), "CREATE DATABASE " + name))
        throw std::runtime_error("CREATE DATABASE " + name + " failed");
    return url(name);
}

std::string PostgresServer::url(const std::string& database) const {
    return "postgresql://jkjav@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::optional<std::string> sqlValue(const std::string& url, const std::string& query) {
    try {
        pqxx::connection connection(url + "?connect_timeout=2");
        pqxx::nontransaction tx(connection);
        const auto result = tx.exec(query);
        if (result.empty() || result[0][0].is_null()) return std::nullopt;
        return result[0][0].as<std::string>();
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::vector<std::vector<std::string>> sqlRows(const std::string& url, const std::string& query) {
    std::vector<std::vector<std::string>> rows;
    try {
        pqxx::connection connection(url + "?connect_timeout=2");
        pqxx::nontransaction tx(connection);
        for (const auto& row : tx.exec(query)) {
            auto& out = rows.emplace_back();
            for (const auto& field : row) out.push_back(field.is_null() ? "NULL" : field.as<std::string>());
        }
    } catch (const std::exception&) {
        rows.clear();
    }
    return rows;
}

bool sqlExec(const std::string& url, const std::string& statement) {
    try {
        pqxx::connection connection(url + "?connect_timeout=2");
        pqxx::nontransaction tx(connection);
        tx.exec(statement);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace jkjav::testing
