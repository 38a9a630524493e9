#include "adapters/supervision/supervised_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <exception>
#include <stdexcept>

namespace jkjav::supervision {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

asio::awaitable<void> supervise(std::string name, LoopFactory factory, Supervision supervision) {
    const RestartPolicy& policy = supervision.policy;
    asio::steady_timer pause(co_await asio::this_coro::executor);
    auto backoff = policy.firstBackoff;
    unsigned failuresInARow = 0;
    for (;;) {
        const auto startedAt = Clock::now();
        std::exception_ptr failure;
        try {
            co_await factory();
            co_return;  // the loop ended as it should (stopped)
        } catch (...) {
            failure = std::current_exception();
        }
        if (Clock::now() - startedAt >= policy.healthyRun) {
            failuresInARow = 0;
            backoff = policy.firstBackoff;
        }
        ++failuresInARow;
        if (failuresInARow >= policy.giveUpAfter) {
            spdlog::critical("loop '{}' failed {} times in a row, giving up: {}", name, failuresInARow,
                             describeException(failure));
            if (supervision.giveUp) {
                supervision.giveUp(name);
            } else {
                endProcess(name);
            }
            co_return;
        }
        spdlog::error("loop '{}' failed: {}; restarting in {} ms ({} in a row)", name,
                      describeException(failure), backoff.count(), failuresInARow);
        pause.expires_after(backoff);
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        backoff = std::min(backoff * 2, policy.maxBackoff);
    }
}

}  // namespace

void spawnSupervised(const asio::any_io_executor& executor, std::string name, LoopFactory factory,
                     const Supervision& supervision) {
    if (supervision.wrap) factory = supervision.wrap(name, std::move(factory));
    // The supervisor catches every run's exception; what could still escape it (its own timer or
    // log failing) is an impossible state, and ends the process rather than a loop silently.
    asio::co_spawn(executor, supervise(name, std::move(factory), supervision),
                   [name](const std::exception_ptr& failure) {
                       if (!failure) return;
                       spdlog::critical("supervisor of loop '{}' failed: {}", name,
                                        describeException(failure));
                       endProcess(name);
                   });
}

std::string describeException(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

void endProcess(std::string_view name) {
    spdlog::critical("ending the process: loop '{}' cannot go on", name);
    spdlog::default_logger()->flush();
    std::_Exit(70);
}

}  // namespace jkjav::supervision
