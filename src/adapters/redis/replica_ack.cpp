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

// Both commands are submitted before either answer is awaited, so they leave back to back and are
// answered in order. co_spawn starts each in the order given (this thread's queue), and
// executeArgv submits its command as it starts. The caller's spans outlive the group: it awaits it.
asio::awaitable<std::array<RedisResult, 2>> pipelined(RedisConnection& connection, Command first,
                                                      Command second) {
    const auto executor = co_await asio::this_coro::executor;
    auto spawn = [&](Command command) {
        return asio::co_spawn(executor, connection.executeArgv(command), asio::deferred);
    };
    // (order, exception, result) per command, taken out one by one: structured bindings of an
    // awaited value trip GCC 12.
    auto done = co_await asio::experimental::make_parallel_group(spawn(first), spawn(second))
                    .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    for (const auto& failure : {std::get<1>(done), std::get<3>(done)}) {
        if (failure) std::rethrow_exception(failure);  // executeArgv answers failures as values
    }
    std::array<RedisResult, 2> results;
    results[0] = std::move(std::get<2>(done));
    results[1] = std::move(std::get<4>(done));
    co_return results;
}

struct FenceAndWait {
    FenceAndWait(const RedisKeys& keys, const ReplicaAck& ack, int count)
        : replicas(std::to_string(count)),
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
        ConfirmedResult plain;
        plain.confirmed = true;
        plain.result = co_await script.run(connection, numKeys, keysAndArgs);
        co_return plain;
    }

    const auto replicas = ack.replicasFor(connection.server());
    if (!replicas) co_return ConfirmedResult{boost::system::error_code(asio::error::not_connected), false};
    const FenceAndWait after(keys, ack, *replicas);  // only its WAIT, here
    const std::string numKeysText = std::to_string(numKeys);
    boost::container::small_vector<std::string_view, 24> evalsha{"EVALSHA", "", numKeysText};
    evalsha.insert(evalsha.end(), keysAndArgs.begin(), keysAndArgs.end());
    for (int attempt = 0; attempt < 2; ++attempt) {
        // Loaded beforehand in a round trip of its own (once per connection), so the script and
        // its WAIT leave together.
        if (!co_await script.prepare(connection)) break;
        evalsha[1] = script.sha();
        auto answers = co_await pipelined(connection, evalsha, after.wait);
        if (RedisScript::isNoScript(answers[0])) {  // a Redis that lost its scripts (restart, failover)
            script.forget();
            continue;
        }
        ConfirmedResult ran;
        ran.confirmed = waitConfirms(answers[1], *replicas);
        ran.result = std::move(answers[0]);
        co_return ran;
    }
    co_return ConfirmedResult{boost::system::error_code(asio::error::not_connected), false};
}

asio::awaitable<bool> confirmReplicated(RedisConnection& connection, const RedisKeys& keys,
                                        const ReplicaAck& ack, std::uint64_t session) {
    if (!ack.required()) co_return true;
    if (connection.session() != session) co_return false;
    const auto replicas = ack.replicasFor(connection.server());
    if (!replicas) co_return false;
    const FenceAndWait after(keys, ack, *replicas);
    const auto answers = co_await pipelined(connection, after.fence, after.wait);
    co_return waitConfirms(answers[1], *replicas);
}

bool needsFence(std::span<const domain::Outcome> outcomes) {
    using domain::Outcome;
    bool toConfirm = false;
    for (const Outcome outcome : outcomes) {
        if (outcome == Outcome::kBooked || outcome == Outcome::kCancelled) return false;  // it wrote
        toConfirm = toConfirm || domain::needsReplicaConfirmation(outcome);
    }
    return toConfirm;
}

}  // namespace jkjav::redis
