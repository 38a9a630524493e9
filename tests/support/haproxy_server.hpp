// A real HAProxy running deploy/haproxy/haproxy.cfg (the file make run-cluster and the deployment
// use) in front of the given jkjav-server ports, on loopback, stopped by its PID.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "process.hpp"

namespace jkjav::testing {

class HaproxyServer {
  public:
    // The file names three servers (api-1..3); `apiPorts` fills them in order, the last one repeated
    // when fewer are given (HAProxy then checks and balances to that server under two names).
    HaproxyServer(std::string dir, std::vector<int> apiPorts);
    ~HaproxyServer();
    // Starts and waits until HAProxy's checks hold every server UP; throws if it does not within 20 s.
    // HAProxy cannot bind port 0 and say which it got: a free port is picked, another if it was taken.
    void start();
    [[nodiscard]] int port() const { return port_; }
    // A server's status on the stats page ("UP", "DOWN", "UP 1/2", ...); "" when HAProxy does not answer.
    [[nodiscard]] std::string serverState(const std::string& name) const;
    bool waitForState(const std::string& name, const std::string& state, std::chrono::milliseconds deadline);
    [[nodiscard]] const std::string& logFile() const { return logFile_; }

  private:
    bool launch();

    std::string dir_;
    std::vector<int> apiPorts_;
    std::string logFile_;
    int port_ = 0;
    int statsPort_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

}  // namespace jkjav::testing
