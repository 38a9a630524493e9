// Child processes for tests: real redis-server and jkjav-server, stopped by PID, waited with deadlines.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jkjav::testing {

class ChildProcess {
  public:
    // argv[0] is the program (PATH is searched); env entries are added to this process's environment.
    ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
                 const std::string& logFile = "/dev/null");
    ~ChildProcess();  // SIGKILL and reap, if still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    void signal(int signalNumber) const;
    // The exit status (or 128 + signal) once the process ended, nullopt if it outlived the deadline.
    std::optional<int> waitForExit(std::chrono::milliseconds deadline);
    [[nodiscard]] bool running();

  private:
    pid_t pid_ = -1;
    std::optional<int> exitStatus_;
};

// Polls `condition` until it holds or `deadline` passes; the one way tests wait for events.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds deadline = std::chrono::milliseconds(10'000));

// A TCP port nobody listens on right now (bind to 0, read it, close): only for redis-server, which
// cannot bind port 0 and report it; someone may take the port before it is used (RedisServer retries).
int freeLoopbackPort();

// A fresh directory under /tmp, removed by the destructor.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    [[nodiscard]] const std::string& path() const { return path_; }
    std::string write(const std::string& name, const std::string& content) const;

  private:
    std::string path_;
};

}  // namespace jkjav::testing
