// Acknowledged means replicated: a write is answered only once WAIT saw enough replicas hold it.
// WAIT counts the replicas holding everything up to *its own connection's* replication offset, so
// it goes on the connection that sent the write, pipelined right behind it. Replication is one
// ordered stream, so a call that wrote is covered with everything Redis did before it. Since Redis
// 7.2 a connection's offset moves only when one of its commands writes (7.0 moved it after every
// command), so a call that wrote nothing (an idempotent repeat of a booking another connection
// made; the relay, which only reads its entries) first writes a small fence: the WAIT after it
// covers what the call found.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "adapters/redis/ack_quorum.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "domain/outcome.hpp"

namespace jkjav::redis {

// REDIS_MIN_REPLICAS and REDIS_WAIT_TIMEOUT_MS; with Sentinels, the lease of their majority's verdict.
struct ReplicaAck {
    int replicas = 0;  // replicas that must hold a write before it is acknowledged; 0: no WAIT at all
    std::chrono::milliseconds timeout{500};
    // Set (with Sentinels): the count is the verdict's, for writes on the primary it names, and
    // `replicas` is only its floor (AckQuorumOptions::floor).
    std::shared_ptr<const AckLease> lease;
    [[nodiscard]] bool required() const { return replicas > 0 || lease != nullptr; }
    // The WAIT count for a write on `server` now; nullopt: nothing may be written there now (no
    // verdict in force, or it names another primary).
    [[nodiscard]] std::optional<int> replicasFor(const HostPort& server) const {
        if (!lease) return replicas;
        return lease->replicasFor(server, AckLease::Clock::now());
    }
};

struct ConfirmedResult {
    RedisResult result;      // the script's own answer
    bool confirmed = false;  // WAIT saw ack.replicas replicas (always true when none are required)
};

// Runs `script` by EVALSHA; when replicas are required, `WAIT replicas timeout` goes right behind
// it on the same connection: one round trip, one WAIT for the whole call. When no write may be
// acknowledged on the connection's server (ReplicaAck::replicasFor), the script is not run at all:
// the answer is not_connected, and nothing was written. It covers the call's own
// writes: see needsFence() for answers that report a change the call did not make.
boost::asio::awaitable<ConfirmedResult> runConfirmed(RedisScript& script, RedisConnection& connection,
                                                     const RedisKeys& keys, const ReplicaAck& ack,
                                                     std::size_t numKeys,
                                                     std::span<const std::string_view> keysAndArgs);

// The fence and a WAIT: true once ack.replicas replicas hold everything Redis did before the fence
// (true at once, sending nothing, when none are required). `session`: connection.session() when the
// answers to confirm were asked for; after a reconnect since, nothing is sent and the answer is
// false, since a WAIT on another connection (maybe to another primary) says nothing of them.
boost::asio::awaitable<bool> confirmReplicated(RedisConnection& connection, const RedisKeys& keys,
                                               const ReplicaAck& ack, std::uint64_t session);

// True when a call answered `outcomes` may have written nothing, yet one of them reports a change
// to be confirmed: every such answer may be a repeat (kAlreadyHeld; kWaitlisted, which a repeated
// join answers too) and none says this call booked or cancelled. Its WAIT proves nothing then: the
// caller confirms with confirmReplicated(). Never the case in a crowd of new bookings.
bool needsFence(std::span<const domain::Outcome> outcomes);

// `answer` as the client may hear it when WAIT did not confirm: an answer saying a booking, a
// waitlist place or a cancellation exists becomes kUnconfirmed; refusals stand as they are.
template <typename Answer>
Answer unlessConfirmed(Answer answer, bool confirmed) {
    if (!confirmed && domain::needsReplicaConfirmation(answer.outcome)) {
        Answer unconfirmed{};  // nothing of the change: it may not survive
        unconfirmed.outcome = domain::Outcome::kUnconfirmed;
        return unconfirmed;
    }
    return answer;
}

// WAIT's answer (the number of replicas that hold this connection's writes) is at least `replicas`.
bool waitConfirms(const RedisResult& reply, int replicas);

}  // namespace jkjav::redis
