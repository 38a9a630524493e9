#include "adapters/redis/ack_quorum_watch.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "adapters/redis/sentinel_replies.hpp"

namespace jkjav::redis {

namespace asio = boost::asio;

namespace {

std::string addresses(const std::vector<HostPort>& nodes) {
    std::string text;
    for (const auto& node : nodes) {
        if (!text.empty()) text += ", ";
        text += node.host + ":" + std::to_string(node.port);
    }
    return text.empty() ? "none" : text;
}

}  // namespace

std::shared_ptr<AckQuorumWatch> AckQuorumWatch::create(asio::any_io_executor executor,
                                                       const std::vector<HostPort>& sentinels,
                                                       std::string masterName,
                                                       std::shared_ptr<RedisConnection> primary,
                                                       std::shared_ptr<AckLease> lease,
                                                       AckQuorumOptions options, Standing standing) {
    return std::shared_ptr<AckQuorumWatch>(
        new AckQuorumWatch(std::move(executor), sentinels, std::move(masterName), std::move(primary),
                           std::move(lease), options, std::move(standing)));
}

AckQuorumWatch::AckQuorumWatch(asio::any_io_executor executor, const std::vector<HostPort>& sentinels,
                               std::string masterName, std::shared_ptr<RedisConnection> primary,
                               std::shared_ptr<AckLease> lease, AckQuorumOptions options, Standing standing)
    : executor_(std::move(executor)),
      primary_(std::move(primary)),
      masterName_(std::move(masterName)),
      lease_(std::move(lease)),
      options_(options),
      standing_(std::move(standing)),
      timer_(executor_) {
    // One connection per Sentinel, each with its own reconnect: a Sentinel cut off costs one
    // question's timeout, then fails at once (not connected) until it is back.
    const RedisOptions bounded{.connectTimeout = options_.pollPeriod * 2,
                               .commandTimeout = options_.pollPeriod * 2,
                               .backoffMax = std::chrono::milliseconds(1000)};
    for (const auto& sentinel : sentinels) {
        RedisEndpoint endpoint;
        endpoint.host = sentinel.host;
        endpoint.port = sentinel.port;
        sentinels_.push_back(RedisConnection::create(executor_, std::move(endpoint), bounded));
    }
}

void AckQuorumWatch::start(const supervision::Supervision& supervision) {
    for (const auto& sentinel : sentinels_) sentinel->start(supervision);
    primary_->start(supervision);
    // A run that threw starts over with a fresh round; the lease it granted runs out by itself.
    supervision::spawnSupervised(
        executor_, "sentinel quorum watch", [self = shared_from_this()] { return self->run(self); },
        supervision);
}

void AckQuorumWatch::stop() {
    stopped_ = true;
    timer_.cancel();
    for (const auto& sentinel : sentinels_) sentinel->stop();
    primary_->stop();
}

asio::awaitable<std::optional<SentinelReport>> AckQuorumWatch::ask(
    std::shared_ptr<RedisConnection> sentinel) {
    const std::array<std::string_view, 3> where{"SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName_};
    const std::array<std::string_view, 3> replicas{"SENTINEL", "REPLICAS", masterName_};
    const RedisResult primaryReply = co_await sentinel->executeArgv(where);
    if (!primaryReply) co_return std::nullopt;
    auto primary = primaryFromSentinelReply(primaryReply->view());
    if (!primary) co_return std::nullopt;
    const RedisResult replicasReply = co_await sentinel->executeArgv(replicas);
    if (!replicasReply) co_return std::nullopt;
    auto known = replicasFromSentinelReply(replicasReply->view());
    if (!known) co_return std::nullopt;
    co_return SentinelReport{std::move(*primary), std::move(*known)};
}

asio::awaitable<std::optional<AckQuorumWatch::PrimaryAnswer>> AckQuorumWatch::askPrimary() {
    const std::array<std::string_view, 2> info{"INFO", "replication"};
    const RedisResult reply = co_await primary_->executeArgv(info);
    if (!reply || !reply->view().isString()) co_return std::nullopt;
    co_return PrimaryAnswer{primary_->server(),
                            replicasHeardFrom(reply->view().text(), options_.heardWithinSeconds)};
}

asio::awaitable<void> AckQuorumWatch::run(std::shared_ptr<AckQuorumWatch> self) {
    while (!stopped_) {
        const auto asked = std::chrono::steady_clock::now();
        using Operation = decltype(asio::co_spawn(executor_, ask(sentinels_.front()), asio::deferred));
        std::vector<Operation> questions;
        for (const auto& sentinel : sentinels_) {
            questions.push_back(asio::co_spawn(executor_, ask(sentinel), asio::deferred));
        }
        // Asked while the Sentinels are: one bounded round (the connection's command timeout).
        auto primaryQuestion = asio::co_spawn(executor_, askPrimary(), asio::use_awaitable);
        // Every question is bounded by its connection's command timeout.
        auto [order, failures, answers] =
            co_await asio::experimental::make_parallel_group(std::move(questions))
                .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
        const std::optional<PrimaryAnswer> heard = co_await std::move(primaryQuestion);
        if (stopped_) break;
        std::vector<std::optional<SentinelReport>> reports(sentinels_.size());
        for (std::size_t i = 0; i < sentinels_.size(); ++i) {
            if (!failures[i]) reports[i] = std::move(answers[i]);
        }
        // Without the named primary's own list there is no verdict: it may stream to a replica the
        // Sentinels hold down, which WAIT would count.
        std::optional<AckVerdict> verdict;
        if (heard) verdict = decideAck(reports, heard->second, options_.floor);
        if (verdict && verdict->primary != heard->first) verdict.reset();
        if (verdict) lease_->grant(*verdict, asked + options_.lease);
        report(verdict);
        standing_(lease_->current(std::chrono::steady_clock::now()).has_value());
        timer_.expires_at(asked + options_.pollPeriod);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

// Only changes are logged: the verdict is asked for five times a second.
void AckQuorumWatch::report(const std::optional<AckVerdict>& verdict) {
    if (!verdict) {
        if (lastVerdict_ || !everDecided_) {
            spdlog::warn(
                "no majority of the {} Sentinels answered with one primary for '{}': writes stop once the "
                "lease of the last verdict ends",
                sentinels_.size(), masterName_);
        }
        lastVerdict_.reset();
        everDecided_ = true;
        return;
    }
    if (lastVerdict_ != verdict) {
        spdlog::info("Sentinel majority: primary {}:{}, a write waits for {} replica(s); held down: {}",
                     verdict->primary.host, verdict->primary.port, verdict->replicas,
                     addresses(verdict->excluded));
    }
    lastVerdict_ = verdict;
    everDecided_ = true;
}

}  // namespace jkjav::redis
