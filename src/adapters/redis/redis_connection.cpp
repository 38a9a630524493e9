#include "adapters/redis/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <utility>

#include "adapters/redis/bounded_connect.hpp"
#include "adapters/redis/redis_reader.hpp"
#include "adapters/redis/sentinel_query.hpp"
#include "adapters/redis/sentinel_replies.hpp"

namespace jkjav::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using Tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::shared_ptr<RedisConnection> RedisConnection::create(asio::any_io_executor executor,
                                                         RedisEndpoint endpoint, RedisOptions options,
                                                         RedisStats* stats) {
    return std::shared_ptr<RedisConnection>(
        new RedisConnection(std::move(executor), std::move(endpoint), options, stats));
}

RedisConnection::RedisConnection(asio::any_io_executor executor, RedisEndpoint endpoint, RedisOptions options,
                                 RedisStats* stats)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      options_(options),
      fsm_(RedisFsmOptions{options.commandTimeout, options.backoffInitial, options.backoffMax,
                           options.maxPending},
           RedisLogin{endpoint_.username, endpoint_.password, endpoint_.database,
                      !endpoint_.sentinels.empty()}),
      socket_(executor_),
      backoffTimer_(executor_),
      watchdogTimer_(executor_),
      stats_(stats),
      current_{endpoint_.host, endpoint_.port} {}

RedisConnection::~RedisConnection() {
    if (reader_ != nullptr) redisReaderFree(reader_);
}

void RedisConnection::start(const supervision::Supervision& supervision) {
    auto self = shared_from_this();
    supervision::spawnSupervised(
        executor_, "redis supervision", [self] { return self->supervise(self); }, supervision);
    supervision::spawnSupervised(
        executor_, "redis watchdog", [self] { return self->watchdog(self); }, supervision);
}

void RedisConnection::stop() {
    fsm_.stop();
    backoffTimer_.cancel();
    watchdogTimer_.cancel();
    error_code ignored;
    socket_.close(ignored);
}

asio::awaitable<RedisResult> RedisConnection::executeArgv(std::span<const std::string_view> args) {
    // Formatted into the output buffer before this coroutine suspends, so `args` may refer to the
    // caller's temporaries.
    const auto submittedAt = Clock::now();
    const auto submitted = fsm_.submit(args, submittedAt);
    if (submitted.refused) co_return submitted.refused;
    RedisResult result = co_await asio::async_initiate<decltype(asio::use_awaitable), void(RedisResult)>(
        [this, startWriter = submitted.startWriter](auto handler) {
            waiters_.emplace_back(std::move(handler));
            if (startWriter) this->startWriter();
        },
        asio::use_awaitable);
    if (stats_ != nullptr) stats_->commandSeconds.observe(Clock::now() - submittedAt);
    co_return result;
}

void RedisConnection::primaryMoved(HostPort primary) {
    asio::post(executor_,
               [self = shared_from_this(), primary = std::move(primary)] { self->onPrimaryMoved(primary); });
}

void RedisConnection::onPrimaryMoved(const HostPort& primary) {
    if (fsm_.stopped()) return;
    if (fsm_.socketOpen()) {
        if (current_ == primary) return;
        spdlog::info("redis {}:{}: the primary moved to {}:{}, reconnecting", current_.host, current_.port,
                     primary.host, primary.port);
        skipBackoff_ = true;
        closeSocket(asio::error::connection_aborted);
        return;
    }
    // Between attempts (or in one): the next attempt starts now and asks the Sentinels again.
    skipBackoff_ = true;
    backoffTimer_.cancel();
}

void RedisConnection::startWriter() {
    // One writer per batch of commands, not a loop that lives on: a throw is logged and closes the
    // socket, which fails its callers and reconnects (the next connection starts a writer again).
    asio::co_spawn(executor_, writeLoop(shared_from_this()),
                   [self = shared_from_this()](std::exception_ptr failure) {
                       if (!failure) return;
                       spdlog::error("redis {}:{}: the writer failed: {}", self->current_.host,
                                     self->current_.port, supervision::describeException(failure));
                       self->closeSocket(asio::error::fault);
                   });
}

void RedisConnection::complete(Handler handler, RedisResult result) {
    // Posted, never called inline: the waiting coroutine resumes from the event loop, not from
    // inside the reader's loop over a batch of replies.
    asio::post(executor_, [handler = std::move(handler), result = std::move(result)]() mutable {
        std::move(handler)(std::move(result));
    });
}

asio::awaitable<void> RedisConnection::writeLoop([[maybe_unused]] std::shared_ptr<RedisConnection> self) {
    for (;;) {
        const auto job = fsm_.nextWrite();
        if (job.bytes.empty()) co_return;
        auto [ec, written] = co_await asio::async_write(socket_, asio::buffer(job.bytes), kNoThrow);
        if (ec && fsm_.onWriteFailed(job.generation, ec)) closeSocket(ec);
    }
}

std::chrono::milliseconds RedisConnection::settleLostConnection() {
    const auto dropped = fsm_.onReadLoopEnded();
    if (stats_ != nullptr) stats_->up.store(false, std::memory_order_relaxed);
    for (std::size_t i = 0; i < dropped.callersToFail && !waiters_.empty(); ++i) {
        complete(std::move(waiters_.front()), dropped.reason);
        waiters_.pop_front();
    }
    if (dropped.wasConnected) {
        spdlog::warn("redis {}:{}: connection lost ({})", current_.host, current_.port,
                     dropped.reason.message());
    }
    return dropped.backoff;
}

asio::awaitable<void> RedisConnection::supervise([[maybe_unused]] std::shared_ptr<RedisConnection> self) {
    // A run that threw (spawnSupervised starts this again) may have left its socket open: it is
    // closed and settled as a lost connection, so its callers are answered and the FSM starts over.
    if (fsm_.socketOpen()) {
        closeSocket(asio::error::fault);
        settleLostConnection();
    } else if (socket_.is_open()) {
        error_code ignored;
        socket_.close(ignored);
    }
    while (!fsm_.stopped()) {
        std::chrono::milliseconds backoff{0};
        const error_code ec = co_await connectSocket();
        if (!ec) {
            if (fsm_.onSocketOpen(Clock::now())) startWriter();
            co_await readUntilClosed();
            backoff = settleLostConnection();
        } else {
            if (fsm_.stopped()) break;
            spdlog::debug("redis {}:{}: connect failed ({})", current_.host, current_.port, ec.message());
            backoff = fsm_.onConnectFailed();
        }
        if (fsm_.stopped()) break;
        if (std::exchange(skipBackoff_, false)) continue;
        backoffTimer_.expires_after(backoff);
        co_await backoffTimer_.async_wait(kNoThrow);
        skipBackoff_ = false;  // cut short by primaryMoved(), or not: either way the next attempt is now
    }
}

asio::awaitable<error_code> RedisConnection::connectSocket() {
    if (!endpoint_.sentinels.empty()) {
        auto primary = co_await askSentinelsForPrimary(executor_, endpoint_.sentinels, endpoint_.masterName,
                                                       options_.connectTimeout, nextSentinel_);
        if (!primary) {
            if (!std::exchange(sentinelsFailing_, true)) {
                spdlog::warn("redis: no Sentinel of {} answered where the primary '{}' is; asking again",
                             endpoint_.sentinels.size(), endpoint_.masterName);
            }
            co_return asio::error::host_not_found;
        }
        sentinelsFailing_ = false;
        current_ = std::move(*primary);
    }
    // Resolving and connecting together within the connect timeout (the socket is closed on failure).
    if (const error_code connectError = co_await connectWithin(socket_, current_, options_.connectTimeout)) {
        co_return connectError;
    }
    error_code ignored;
    if (fsm_.stopped()) {
        socket_.close(ignored);
        co_return error_code(asio::error::operation_aborted);
    }
    socket_.set_option(Tcp::no_delay(true), ignored);
    if (reader_ != nullptr) redisReaderFree(reader_);
    reader_ = createBoundedReader();
    co_return error_code{};
}

asio::awaitable<void> RedisConnection::readUntilClosed() {
    std::array<char, 16 * 1024> buffer;
    while (fsm_.socketOpen()) {
        auto [ec, received] = co_await socket_.async_read_some(asio::buffer(buffer), kNoThrow);
        if (ec) {
            closeSocket(ec);
            break;
        }
        if (redisReaderFeed(reader_, buffer.data(), received) != REDIS_OK) {
            closeSocket(asio::error::fault);
            break;
        }
        void* reply = nullptr;
        while (fsm_.socketOpen()) {
            if (redisReaderGetReply(reader_, &reply) != REDIS_OK) {
                closeSocket(asio::error::fault);  // not RESP: nothing after this can be trusted
                break;
            }
            if (reply == nullptr) break;
            RedisReply owned(static_cast<redisReply*>(reply));
            const bool notPrimary = fsm_.awaitedLoginStep() == "ROLE" && !roleSaysPrimary(owned.view());
            const auto action = fsm_.onReply(owned.view().isError() || notPrimary);
            switch (action.kind) {
                case RedisConnectionFsm::ReplyAction::kDeliver:
                    if (waiters_.empty()) {  // impossible while the FSM and waiters_ agree
                        closeSocket(asio::error::fault);
                        break;
                    }
                    if (isReadOnlyRefusal(owned.view())) {
                        // A demoted primary: nothing more goes here. The caller gets a transport error
                        // (503, retry), the next attempt finds the new primary.
                        spdlog::warn("redis {}:{}: no longer the primary (READONLY), reconnecting",
                                     current_.host, current_.port);
                        complete(std::move(waiters_.front()), error_code(asio::error::connection_aborted));
                        waiters_.pop_front();
                        closeSocket(asio::error::connection_aborted);
                        break;
                    }
                    complete(std::move(waiters_.front()), std::move(owned));
                    waiters_.pop_front();
                    break;
                case RedisConnectionFsm::ReplyAction::kHandshakeStep:
                    break;
                case RedisConnectionFsm::ReplyAction::kNowConnected:
                    spdlog::info("redis {}:{}: connected", current_.host, current_.port);
                    if (stats_ != nullptr) {
                        if (everConnected_) stats_->reconnects.add();
                        stats_->up.store(true, std::memory_order_relaxed);
                    }
                    everConnected_ = true;
                    ++session_;
                    break;
                case RedisConnectionFsm::ReplyAction::kClose:
                    if (action.step == "ROLE" && !owned.view().isError()) {
                        spdlog::warn("redis {}:{}: not the primary (ROLE {}), asking Sentinel again",
                                     current_.host, current_.port, owned.view()[0].text());
                        // That Sentinel's view is behind: the next one is asked first.
                        nextSentinel_ =
                            (nextSentinel_ + 1) % std::max<std::size_t>(1, endpoint_.sentinels.size());
                    } else if (!action.step.empty()) {
                        spdlog::error("redis {}:{}: {} refused: {}", current_.host, current_.port,
                                      action.step, owned.view().text());
                    }
                    closeSocket(action.reason);
                    break;
            }
        }
    }
}

asio::awaitable<void> RedisConnection::watchdog([[maybe_unused]] std::shared_ptr<RedisConnection> self) {
    const auto period = std::max(std::chrono::milliseconds(10), options_.commandTimeout / 4);
    while (!fsm_.stopped()) {
        watchdogTimer_.expires_after(period);
        co_await watchdogTimer_.async_wait(kNoThrow);
        if (fsm_.stopped()) break;
        if (const error_code overdue = fsm_.onTick(Clock::now())) {
            spdlog::warn("redis {}:{}: no reply within {} ms, reconnecting", current_.host, current_.port,
                         options_.commandTimeout.count());
            closeSocket(overdue);
        }
    }
}

void RedisConnection::closeSocket(error_code reason) {
    fsm_.onClose(reason);
    error_code ignored;
    socket_.close(ignored);
}

}  // namespace jkjav::redis
