#include "adapters/redis/sentinel_watch.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "adapters/redis/bounded_connect.hpp"
#include "adapters/redis/redis_connection_fsm.hpp"
#include "adapters/redis/redis_reader.hpp"
#include "adapters/redis/sentinel_query.hpp"
#include "adapters/redis/sentinel_replies.hpp"

namespace jkjav::redis {

namespace asio = boost::asio;
using boost::system::error_code;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kSwitchChannel = "+switch-master";

std::shared_ptr<SentinelWatch> SentinelWatch::create(asio::any_io_executor executor,
                                                     std::vector<HostPort> sentinels, std::string masterName,
                                                     SentinelWatchOptions options) {
    return std::shared_ptr<SentinelWatch>(
        new SentinelWatch(std::move(executor), std::move(sentinels), std::move(masterName), options));
}

SentinelWatch::SentinelWatch(asio::any_io_executor executor, std::vector<HostPort> sentinels,
                             std::string masterName, SentinelWatchOptions options)
    : executor_(std::move(executor)),
      sentinels_(std::move(sentinels)),
      masterName_(std::move(masterName)),
      options_(options),
      socket_(executor_),
      backoffTimer_(executor_),
      pingTimer_(executor_) {}

void SentinelWatch::follow(const std::shared_ptr<RedisConnection>& connection) {
    const std::lock_guard lock(followersMutex_);
    followers_.push_back(connection);
}

void SentinelWatch::start(const supervision::Supervision& supervision) {
    if (sentinels_.empty()) return;
    supervision_ = supervision;
    supervision::spawnSupervised(
        executor_, "sentinel watch", [self = shared_from_this()] { return self->run(self); }, supervision_);
}

void SentinelWatch::stop() {
    stopped_ = true;
    backoffTimer_.cancel();
    pingTimer_.cancel();
    error_code ignored;
    socket_.close(ignored);
}

void SentinelWatch::closeSubscription() {
    ++generation_;  // ends keepAlive
    pingTimer_.cancel();
    error_code ignored;
    socket_.close(ignored);
}

asio::awaitable<void> SentinelWatch::run([[maybe_unused]] std::shared_ptr<SentinelWatch> self) {
    // A run that threw (spawnSupervised starts this again) may have left its subscription open.
    if (socket_.is_open()) closeSubscription();
    std::size_t next = 0;
    auto backoff = options_.backoffInitial;
    while (!stopped_) {
        const HostPort& sentinel = sentinels_[next];
        if (co_await listen(sentinel)) backoff = options_.backoffInitial;
        if (stopped_) break;
        next = (next + 1) % sentinels_.size();  // this one failed us: the next is asked first
        backoffTimer_.expires_after(backoff);
        co_await backoffTimer_.async_wait(kNoThrow);
        backoff = std::min(backoff * 2, options_.backoffMax);
    }
}

asio::awaitable<bool> SentinelWatch::listen(const HostPort& sentinel) {
    if (const error_code ec = co_await connectWithin(socket_, sentinel, options_.connectTimeout)) {
        spdlog::debug("sentinel {}:{}: cannot subscribe ({})", sentinel.host, sentinel.port, ec.message());
        co_return false;
    }
    std::string request;
    const std::array<std::string_view, 2> subscribe{"SUBSCRIBE", kSwitchChannel};
    appendRespCommand(request, subscribe);
    auto [writeError, written] = co_await asio::async_write(socket_, asio::buffer(request), kNoThrow);
    if (writeError || stopped_) {
        error_code ignored;
        socket_.close(ignored);
        co_return false;
    }
    const std::uint64_t generation = ++generation_;
    heard_ = true;
    supervision::spawnSupervised(
        executor_, "sentinel keep-alive",
        [self = shared_from_this(), generation] { return self->keepAlive(self, generation); }, supervision_);
    spdlog::info("sentinel {}:{}: following moves of the primary '{}'", sentinel.host, sentinel.port,
                 masterName_);

    // Freed however the loop ends, a throw included.
    const std::unique_ptr<redisReader, decltype(&redisReaderFree)> owned(createBoundedReader(),
                                                                         &redisReaderFree);
    redisReader* reader = owned.get();
    std::array<char, 4096> buffer;
    bool readable = true;
    while (readable) {
        auto [readError, received] = co_await socket_.async_read_some(asio::buffer(buffer), kNoThrow);
        if (readError || redisReaderFeed(reader, buffer.data(), received) != REDIS_OK) break;
        heard_ = true;
        for (;;) {
            void* raw = nullptr;
            if (redisReaderGetReply(reader, &raw) != REDIS_OK) {
                readable = false;  // not RESP: drop this Sentinel
                break;
            }
            if (raw == nullptr) break;
            const RedisReply reply(static_cast<redisReply*>(raw));
            const auto payload = messageOnChannel(reply.view(), kSwitchChannel);
            if (!payload) continue;  // the subscription's confirmation, a PONG
            const auto moved = parseSwitchMaster(*payload);
            if (!moved) {
                spdlog::warn("sentinel {}:{}: unreadable +switch-master '{}'", sentinel.host, sentinel.port,
                             *payload);
            } else if (moved->name == masterName_) {
                spdlog::info("sentinel: primary '{}' moved from {}:{} to {}:{}", masterName_,
                             moved->from.host, moved->from.port, moved->to.host, moved->to.port);
                announce(moved->to);
            }
        }
    }
    closeSubscription();
    if (!stopped_)
        spdlog::warn("sentinel {}:{}: subscription lost, trying the next one", sentinel.host, sentinel.port);
    co_return true;
}

asio::awaitable<void> SentinelWatch::keepAlive([[maybe_unused]] std::shared_ptr<SentinelWatch> self,
                                               std::uint64_t generation) {
    std::string ping;
    const std::array<std::string_view, 1> words{"PING"};
    appendRespCommand(ping, words);
    while (!stopped_ && generation == generation_) {
        pingTimer_.expires_after(options_.pingPeriod);
        co_await pingTimer_.async_wait(kNoThrow);
        if (stopped_ || generation != generation_) break;
        if (!heard_) {  // not even the last PING's answer: a Sentinel that stopped answering
            error_code ignored;
            socket_.close(ignored);
            break;
        }
        heard_ = false;
        auto [ec, written] = co_await asio::async_write(socket_, asio::buffer(ping), kNoThrow);
        if (ec) break;
    }
}

void SentinelWatch::announce(const HostPort& primary) {
    switches_.fetch_add(1, std::memory_order_relaxed);
    const std::lock_guard lock(followersMutex_);
    std::erase_if(followers_, [&](const std::weak_ptr<RedisConnection>& follower) {
        const auto connection = follower.lock();
        if (connection) connection->primaryMoved(primary);
        return !connection;
    });
}

}  // namespace jkjav::redis
