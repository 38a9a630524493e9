// Runs one coroutine to completion on a private io_context: how unit tests call use cases.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

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

}  // namespace jkjav::testing
