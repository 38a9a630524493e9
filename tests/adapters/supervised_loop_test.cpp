// spawnSupervised on a real io_context: a loop that throws is logged by name and run again after a
// backoff that doubles up to its bound; one that keeps failing is given up (the process would end);
// a healthy run starts the count over; a loop that returns is not restarted. And the status
// listener, whose acceptor is one such loop, still answers after its first run threw.
#include "adapters/supervision/supervised_loop.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <vector>

#include "adapters/http/status_listener.hpp"
#include "captured_log.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "run_awaitable.hpp"

namespace jkjav::supervision {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

asio::awaitable<void> waitFor(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// A loop whose runs are told apart by their number (1, 2, ...): `throws(run)` says whether that
// run throws; each run first waits `runFor`, as a loop does some work before it fails.
struct ScriptedLoop {
    std::function<bool(int run)> throws;
    std::chrono::milliseconds runFor{0};
    std::vector<Clock::time_point> startedAt;

    LoopFactory factory() {
        return [this]() -> asio::awaitable<void> {
            startedAt.push_back(Clock::now());
            const int run = static_cast<int>(startedAt.size());
            co_await waitFor(runFor);
            if (throws(run)) throw std::runtime_error("run " + std::to_string(run) + " broke");
        };
    }
};

RestartPolicy quickPolicy() {
    return RestartPolicy{.firstBackoff = 10ms, .maxBackoff = 40ms, .healthyRun = 10s, .giveUpAfter = 6};
}

TEST(SupervisedLoop, AThrowIsLoggedByNameAndTheLoopRunsAgain) {
    testing::CapturedLog log;
    asio::io_context context;
    ScriptedLoop loop{.throws = [](int run) { return run == 1; }};
    std::vector<std::string> gaveUp;
    spawnSupervised(context.get_executor(), "test loop", loop.factory(),
                    Supervision{.policy = quickPolicy(),
                                .giveUp = [&](std::string_view name) { gaveUp.emplace_back(name); }});
    context.run();  // returns once the second run has ended normally

    EXPECT_EQ(loop.startedAt.size(), 2U);
    EXPECT_TRUE(log.contains("loop 'test loop' failed: run 1 broke; restarting in 10 ms (1 in a row)"))
        << log.text();
    EXPECT_GE(loop.startedAt[1] - loop.startedAt[0], 10ms);
    EXPECT_TRUE(gaveUp.empty());
}

TEST(SupervisedLoop, ALoopThatReturnsIsNotRestarted) {
    asio::io_context context;
    ScriptedLoop loop{.throws = [](int) { return false; }};
    spawnSupervised(context.get_executor(), "test loop", loop.factory(),
                    Supervision{.policy = quickPolicy()});
    context.run();
    EXPECT_EQ(loop.startedAt.size(), 1U);
}

TEST(SupervisedLoop, ThrowingAlwaysBacksOffWithinItsBoundThenGivesUpLoudly) {
    testing::CapturedLog log;
    asio::io_context context;
    ScriptedLoop loop{.throws = [](int) { return true; }};
    std::vector<std::string> gaveUp;
    spawnSupervised(context.get_executor(), "doomed loop", loop.factory(),
                    Supervision{.policy = quickPolicy(),
                                .giveUp = [&](std::string_view name) { gaveUp.emplace_back(name); }});
    ASSERT_TRUE(testing::runUntil(context, [&] { return !gaveUp.empty(); }));
    context.run();  // nothing more is scheduled once it gave up

    ASSERT_EQ(loop.startedAt.size(), 6U);  // giveUpAfter: the sixth failure is the last
    const std::vector<std::chrono::milliseconds> backoffs{10ms, 20ms, 40ms, 40ms, 40ms};
    for (std::size_t i = 0; i < backoffs.size(); ++i) {
        const auto gap = loop.startedAt[i + 1] - loop.startedAt[i];
        EXPECT_GE(gap, backoffs[i]) << "before run " << i + 2;
        EXPECT_LT(gap, backoffs[i] + 500ms) << "before run " << i + 2;  // bounded: never much longer
    }
    EXPECT_EQ(gaveUp, std::vector<std::string>{"doomed loop"});
    EXPECT_TRUE(log.contains("loop 'doomed loop' failed 6 times in a row, giving up: run 6 broke"))
        << log.text();
}

TEST(SupervisedLoop, AHealthyRunStartsTheCountOver) {
    asio::io_context context;
    // Every run lasts longer than healthyRun before it throws; the eighth returns.
    ScriptedLoop loop{.throws = [](int run) { return run < 8; }, .runFor = 30ms};
    bool gaveUp = false;
    RestartPolicy policy = quickPolicy();
    policy.healthyRun = 20ms;
    policy.giveUpAfter = 2;
    spawnSupervised(context.get_executor(), "flaky loop", loop.factory(),
                    Supervision{.policy = policy, .giveUp = [&](std::string_view) { gaveUp = true; }});
    context.run();
    EXPECT_EQ(loop.startedAt.size(), 8U);
    EXPECT_FALSE(gaveUp);
    for (std::size_t i = 1; i < loop.startedAt.size(); ++i)  // the backoff starts over each time
        EXPECT_LT(loop.startedAt[i] - loop.startedAt[i - 1], 30ms + 10ms + 500ms);
}

TEST(SupervisedLoop, TheWrapSeesEachLoopsNameAndRunsWhatItReturns) {
    asio::io_context context;
    ScriptedLoop loop{.throws = [](int) { return false; }};
    std::vector<std::string> wrapped;
    Supervision supervision{.policy = quickPolicy()};
    supervision.wrap = [&](std::string_view name, LoopFactory real) {
        wrapped.emplace_back(name);
        return real;
    };
    spawnSupervised(context.get_executor(), "named loop", loop.factory(), supervision);
    context.run();
    EXPECT_EQ(wrapped, std::vector<std::string>{"named loop"});
    EXPECT_EQ(loop.startedAt.size(), 1U);
}

// A seam of the kind JKJAV_FAILPOINT=loops-throw-once puts in the server: each loop's first run
// throws, the next ones are the loop itself.
Supervision throwingOnce(std::vector<std::string>& names) {
    Supervision supervision{.policy = quickPolicy()};
    supervision.wrap = [&names](std::string_view name, LoopFactory real) -> LoopFactory {
        names.emplace_back(name);
        return [real, thrown = std::make_shared<bool>(false)]() -> asio::awaitable<void> {
            if (!std::exchange(*thrown, true)) throw std::runtime_error("injected");
            co_await real();
        };
    };
    return supervision;
}

TEST(SupervisedLoop, TheStatusListenersAcceptorRecoversFromAThrow) {
    testing::CapturedLog log;
    std::vector<std::string> names;
    auto started = http::StatusListener::start(
        "127.0.0.1", 0,
        http::StatusPages{.metrics = [] { return std::string("# metrics\n"); },
                          .health = [] { return std::string(R"({"status":"up"})"); }},
        throwingOnce(names));
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<http::StatusListener>>(started));
    const auto& listener = *std::get<std::unique_ptr<http::StatusListener>>(started);
    EXPECT_EQ(names, std::vector<std::string>{"status listener"});
    EXPECT_TRUE(testing::eventually([&] { return log.contains("loop 'status listener' failed: injected"); }));
    testing::HttpClient client(listener.port());
    EXPECT_TRUE(testing::eventually([&] { return client.get("/healthz").status == 200; }));
}

}  // namespace
}  // namespace jkjav::supervision
