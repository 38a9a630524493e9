// Asks every Sentinel, a few times a second, where the primary is and which of its replicas are
// down, and the primary which replicas it hears from, and grants the AckLease the majority's
// verdict (decideAck) for a lease from the moment it asked. A server that hears no majority for
// longer than the lease acknowledges nothing and stops writing: it may be on the minority side of a
// split, where another primary is being promoted.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/redis/ack_quorum.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/supervision/supervised_loop.hpp"

namespace jkjav::redis {

struct AckQuorumOptions {
    std::chrono::milliseconds pollPeriod{200};  // SENTINEL_POLL_MS
    // SENTINEL_LEASE_MS: how long a verdict may be used, counted from when its question was sent.
    // Shorter than down-after-milliseconds plus a failover, so a server cut off with the old
    // primary has stopped writing before the other side can have promoted a replica.
    std::chrono::milliseconds lease{1000};
    int floor = 1;  // REDIS_MIN_REPLICAS: never fewer replicas than this
    // A replica whose last acknowledgement to the primary is older is not heard from (replicas
    // acknowledge every second; one cut off falls out after this).
    int heardWithinSeconds = 2;
};

class AckQuorumWatch : public std::enable_shared_from_this<AckQuorumWatch> {
  public:
    // Told after every round whether a verdict is in force (readiness: NO_SENTINEL_MAJORITY).
    using Standing = std::function<void(bool verdictInForce)>;
    // `primary`: a connection that follows the primary (a Sentinel endpoint, told of moves by the
    // SentinelWatch); the watch starts and stops it.
    static std::shared_ptr<AckQuorumWatch> create(boost::asio::any_io_executor executor,
                                                  const std::vector<HostPort>& sentinels,
                                                  std::string masterName,
                                                  std::shared_ptr<RedisConnection> primary,
                                                  std::shared_ptr<AckLease> lease, AckQuorumOptions options,
                                                  Standing standing);
    // On the watch's executor; the loop (and each connection's) is supervised as `supervision` says.
    void start(const supervision::Supervision& supervision = {});
    void stop();

  private:
    using PrimaryAnswer = std::pair<HostPort, std::vector<HostPort>>;  // who answered, whom it hears

    AckQuorumWatch(boost::asio::any_io_executor executor, const std::vector<HostPort>& sentinels,
                   std::string masterName, std::shared_ptr<RedisConnection> primary,
                   std::shared_ptr<AckLease> lease, AckQuorumOptions options, Standing standing);
    boost::asio::awaitable<void> run(std::shared_ptr<AckQuorumWatch> self);
    boost::asio::awaitable<std::optional<SentinelReport>> ask(std::shared_ptr<RedisConnection> sentinel);
    boost::asio::awaitable<std::optional<PrimaryAnswer>> askPrimary();
    void report(const std::optional<AckVerdict>& verdict);

    boost::asio::any_io_executor executor_;
    std::vector<std::shared_ptr<RedisConnection>> sentinels_;
    std::shared_ptr<RedisConnection> primary_;
    std::string masterName_;
    std::shared_ptr<AckLease> lease_;
    AckQuorumOptions options_;
    Standing standing_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
    std::optional<AckVerdict> lastVerdict_;  // logged when it changes
    bool everDecided_ = false;
};

}  // namespace jkjav::redis
