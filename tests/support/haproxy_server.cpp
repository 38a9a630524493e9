#include "haproxy_server.hpp"

#include <signal.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "http_client.hpp"

namespace jkjav::testing {

namespace {

const std::vector<std::string> kServerNames{"api-1", "api-2", "api-3"};

}  // namespace

HaproxyServer::HaproxyServer(std::string dir, std::vector<int> apiPorts)
    : dir_(std::move(dir)), apiPorts_(std::move(apiPorts)), logFile_(dir_ + "/haproxy.log") {
    if (apiPorts_.empty()) throw std::invalid_argument("HaproxyServer needs at least one server port");
}

HaproxyServer::~HaproxyServer() {
    if (process_ && process_->running()) {
        process_->signal(SIGTERM);
        process_->waitForExit(std::chrono::seconds(5));
    }
}

void HaproxyServer::start() {
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (launch()) return;
    }
    throw std::runtime_error("haproxy did not start with every server UP (log: " + logFile_ + ")");
}

bool HaproxyServer::launch() {
    port_ = freeLoopbackPort();
    statsPort_ = freeLoopbackPort();
    std::map<std::string, std::string> env{
        {"JKJAV_PROXY_BIND", "127.0.0.1:" + std::to_string(port_)},
        {"JKJAV_PROXY_STATS_BIND", "127.0.0.1:" + std::to_string(statsPort_)}};
    for (std::size_t i = 0; i < kServerNames.size(); ++i) {
        const int apiPort = apiPorts_[std::min(i, apiPorts_.size() - 1)];
        env["JKJAV_API_" + std::to_string(i + 1)] = "127.0.0.1:" + std::to_string(apiPort);
    }
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"haproxy", "-db", "-f",
                                 std::string(JKJAV_SOURCE_DIR) + "/deploy/haproxy/haproxy.cfg"},
        env, logFile_);
    for (const auto& name : kServerNames) {
        // Exits at once when a port was taken in between: then the next attempt picks others.
        if (!waitForState(name, "UP", std::chrono::seconds(20))) {
            process_.reset();
            return false;
        }
    }
    return true;
}

std::string HaproxyServer::serverState(const std::string& name) const {
    HttpClient stats(statsPort_);
    // The CSV's columns: pxname, svname, ..., the 18th is status.
    std::istringstream csv(stats.get("/;csv").body);
    std::string line;
    while (std::getline(csv, line)) {
        std::vector<std::string> fields;
        std::istringstream columns(line);
        for (std::string field; std::getline(columns, field, ',');) fields.push_back(field);
        if (fields.size() > 17 && fields[0] == "jkjav-api" && fields[1] == name) return fields[17];
    }
    return "";
}

bool HaproxyServer::waitForState(const std::string& name, const std::string& state,
                                 std::chrono::milliseconds deadline) {
    return eventually([&] { return !process_->running() || serverState(name) == state; }, deadline) &&
           process_->running();
}

}  // namespace jkjav::testing
