#include "adapters/redis/replica_ack.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/container/small_vector.hpp>
#include <exception>

namespace jkjav::redis {

namespace asio = boost::asio;
using Command = std::span<const std::string_view>;

namespace {

// Every command is submitted before any answer is awaited, so they leave back to back and are
// answered in order. co_spawn starts each in the order given (this thread's queue), and
// executeArgv submits its command as it starts. The caller's spans outlive the group: it awaits it.
template <std::size_t N>
asio::awaitable<std::array<RedisResult, N>> pipelined(RedisConnection& connection,
                                                      std::array<Command, N> commands) {
    const auto executor = co_await asio::this_coro::executor;
    auto spawn = [&](Command command) {
        return asio::co_spawn(executor, connection.executeArgv(command), asio::deferred);
    };
    // Each result taken out of the group's tuple: (order, exception, result) per command. Not
    // bound straight from co_await (structured bindings of an awaited value trip GCC 12).
    std::array<RedisResult, N> results;
    auto rethrow = [](const std::exception_ptr& failure) {
        if (failure) std::rethrow_exception(failure);  // executeArgv answers failures as values
    };
    if constexpr (N == 2) {
        auto done = co_await asio::experimental::make_parallel_group(spawn(commands[0]), spawn(commands[1]))
                        .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
        rethrow(std::get<1>(done));
        rethrow(std::get<3>(done));
        results[0] = std::move(std::get<2>(done));
        results[1] = std::move(std::get<4>(done));
    } else {
        static_assert(N == 3);
        auto done = co_await asio::experimental::make_parallel_group(spawn(commands[0]), spawn(commands[1]),
                                                                     spawn(commands[2]))
                        .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
        rethrow(std::get<1>(done));
        rethrow(std::get<3>(done));
        rethrow(std::get<5>(done));
        results[0] = std::move(std::get<2>(done));
        results[1] = std::move(std::get<4>(done));
        results[2] = std::move(std::get<6>(done));
    }
    co_return results;
}

struct FenceAndWait {
    explicit FenceAndWait(const RedisKeys& keys, const ReplicaAck& ack)
        : replicas(std::to_string(ack.replicas)),
          timeout(std::to_string(ack.timeout.count())),
          fence{"INCR", keys.replicationFence},
          wait{"WAIT", replicas, timeout} {}
    std::string replicas;
    std::string timeout;
    std::array<std::string_view, 2> fence;
    std::array<std::string_view, 3> wait;
};

}  // namespace

bool waitConfirms(const RedisResult& reply, int replicas) {
    if (!reply) return false;
    if (reply->view().isError()) {
        // E.g. sent to a replica (a failover in progress): nothing is confirmed.
        spdlog::warn("WAIT failed: {}", reply->view().text());
        return false;
    }
    return reply->view().isInteger() && reply->view().integer() >= replicas;
}

asio::awaitable<ConfirmedResult> runConfirmed(RedisScript& script, RedisConnection& connection,
                                              const RedisKeys& keys, const ReplicaAck& ack,
                                              std::size_t numKeys,
                                              std::span<const std::string_view> keysAndArgs) {
    if (!ack.required()) {
        // Not `co_return ConfirmedResult{co_await ...}`: GCC 12 destroys an awaited temporary inside
        // a braced initializer twice.
        ConfirmedResult plain{.confirmed = true};
        plain.result = co_await script.run(connection, numKeys, keysAndArgs);
        co_return plain;
    }

    const FenceAndWait after(keys, ack);
    const std::string numKeysText = std::to_string(numKeys);
    boost::container::small_vector<std::string_view, 24> evalsha{"EVALSHA", "", numKeysText};
    evalsha.insert(evalsha.end(), keysAndArgs.begin(), keysAndArgs.end());
    for (int attempt = 0; attempt < 2; ++attempt) {
        // Loaded beforehand in a round trip of its own (once per connection), so the three below
        // leave as one group.
        if (!co_await script.prepare(connection)) break;
        evalsha[1] = script.sha();
        auto answers = co_await pipelined<3>(connection, {Command(evalsha), after.fence, after.wait});
        if (RedisScript::isNoScript(answers[0])) {  // a Redis that lost its scripts (restart, failover)
            script.forget();
            continue;
        }
        ConfirmedResult ran{.confirmed = waitConfirms(answers[2], ack.replicas)};
        ran.result = std::move(answers[0]);
        co_return ran;
    }
    co_return ConfirmedResult{boost::system::error_code(asio::error::not_connected), false};
}

asio::awaitable<bool> confirmReplicated(RedisConnection& connection, const RedisKeys& keys,
                                        const ReplicaAck& ack) {
    if (!ack.required()) co_return true;
    const FenceAndWait after(keys, ack);
    const auto answers = co_await pipelined<2>(connection, {Command(after.fence), Command(after.wait)});
    co_return waitConfirms(answers[1], ack.replicas);
}

}  // namespace jkjav::redis
