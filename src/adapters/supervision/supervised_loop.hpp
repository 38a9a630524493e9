// Long-lived loops (acceptors, sweeps, Redis supervision, publishers) spawned so that none dies
// silently: a throw is logged with the loop's name and the loop started again after a bounded
// backoff, or, when it keeps failing, the process ends loudly so that its supervisor restarts it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace jkjav::supervision {

// Makes one run of a loop; called again for every restart, so each run starts from the loop's
// beginning with the state its owner keeps.
using LoopFactory = std::function<boost::asio::awaitable<void>()>;

struct RestartPolicy {
    std::chrono::milliseconds firstBackoff{100};  // doubled after each failure in a row
    std::chrono::milliseconds maxBackoff{5'000};
    // A run that lasted this long before it threw was healthy: the backoff and the count start over.
    std::chrono::milliseconds healthyRun{60'000};
    // Failures in a row after which restarting is given up: the loop cannot recover by itself.
    unsigned giveUpAfter = 10;
};

struct Supervision {
    RestartPolicy policy;
    // Called once a loop has failed giveUpAfter times in a row; the default logs critical and
    // ends the process (exit 70), as a worker thread that throws does.
    std::function<void(std::string_view name)> giveUp;
    // Test seam: wraps each loop's factory (the fault injection of JKJAV_FAILPOINT=loops-throw-once,
    // or a unit test's); empty: the factory as it is.
    std::function<LoopFactory(std::string_view name, LoopFactory)> wrap;
};

// co_spawns `factory()` on `executor`. A run that returns ends the loop; one that throws is logged
// (error, with `name` and the exception's message) and, after the policy's backoff, run again.
void spawnSupervised(const boost::asio::any_io_executor& executor, std::string name, LoopFactory factory,
                     const Supervision& supervision = {});

// An exception's message, for a log line ("an exception that is not a std::exception" otherwise).
std::string describeException(const std::exception_ptr& failure);

// The default giveUp: logs critical, flushes the log, exits 70 (EX_SOFTWARE).
[[noreturn]] void endProcess(std::string_view name);

}  // namespace jkjav::supervision
