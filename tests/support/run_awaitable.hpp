// Runs coroutines to completion in tests: on a private io_context (how unit tests call use cases),
// or on a test's own io_context within a bound (adapter tests against real servers: a hang fails
// the test instead of stalling it).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>

namespace jkjav::testing {

template <class T>
T runAwaitable(boost::asio::awaitable<T> work) {
    boost::asio::io_context context;
    std::optional<T> result;
    std::exception_ptr failure;
    boost::asio::co_spawn(context, std::move(work), [&](std::exception_ptr error, T value) {
        failure = error;
        if (!error) result.emplace(std::move(value));
    });
    context.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
}

inline void runAwaitable(boost::asio::awaitable<void> work) {
    boost::asio::io_context context;
    std::exception_ptr failure;
    boost::asio::co_spawn(context, std::move(work), [&](std::exception_ptr error) { failure = error; });
    context.run();
    if (failure) std::rethrow_exception(failure);
}

// Every bounded wait of a test ends by this at the latest, unless it says otherwise.
inline constexpr std::chrono::seconds kTestPatience{10};

// Runs `context` until `done()` or `patience` passed; false when the deadline came first.
inline bool runUntil(boost::asio::io_context& context, const std::function<bool()>& done,
                     std::chrono::steady_clock::duration patience = kTestPatience) {
    const auto end = std::chrono::steady_clock::now() + patience;
    context.restart();
    while (!done()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= end) return false;
        if (context.run_one_for(end - now) == 0 && context.stopped()) return done();
    }
    return true;
}

// Runs one coroutine to completion on `context` within `patience`; throws when it did not finish.
template <class T>
T runBounded(boost::asio::io_context& context, boost::asio::awaitable<T> work,
             std::chrono::steady_clock::duration patience = kTestPatience) {
    std::optional<T> result;
    boost::asio::co_spawn(context, std::move(work), [&](std::exception_ptr error, T value) {
        if (error) std::rethrow_exception(error);
        result.emplace(std::move(value));
    });
    if (!runUntil(
            context, [&] { return result.has_value(); }, patience)) {
        throw std::runtime_error("the coroutine did not finish within the test's patience");
    }
    return std::move(*result);
}

}  // namespace jkjav::testing
