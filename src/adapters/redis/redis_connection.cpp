#include "adapters/redis/redis_connection.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/container/small_vector.hpp>
#include <vector>

#include "adapters/redis/redis_reader.hpp"

namespace jkjav::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using Tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::shared_ptr<RedisConnection> RedisConnection::create(asio::any_io_executor executor,
                                                         RedisEndpoint endpoint, RedisOptions options) {
    return std::shared_ptr<RedisConnection>(
        new RedisConnection(std::move(executor), std::move(endpoint), options));
}

RedisConnection::RedisConnection(asio::any_io_executor executor, RedisEndpoint endpoint, RedisOptions options)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      options_(options),
      socket_(executor_),
      backoffTimer_(executor_),
      watchdogTimer_(executor_) {}

RedisConnection::~RedisConnection() {
    if (reader_ != nullptr) redisReaderFree(reader_);
}

void RedisConnection::start() {
    asio::co_spawn(executor_, supervise(shared_from_this()), asio::detached);
    asio::co_spawn(executor_, watchdog(shared_from_this()), asio::detached);
}

void RedisConnection::stop() {
    stopped_ = true;
    backoffTimer_.cancel();
    watchdogTimer_.cancel();
    closeSocket(asio::error::operation_aborted);
}

asio::awaitable<RedisResult> RedisConnection::executeArgv(std::span<const std::string_view> args) {
    if (!connected_) co_return error_code(asio::error::not_connected);
    if (pending_.size() >= options_.maxPending) co_return error_code(asio::error::no_buffer_space);
    co_return co_await send(args);
}

asio::awaitable<RedisResult> RedisConnection::send(std::span<const std::string_view> args) {
    // The command is formatted and queued before this coroutine suspends, so `args` may refer
    // to the caller's temporaries.
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(RedisResult)>(
        [this, args](auto handler) { enqueue(args, Handler(std::move(handler))); }, asio::use_awaitable);
}

void RedisConnection::enqueue(std::span<const std::string_view> args, Handler handler) {
    if (!socketOpen_) {
        complete(std::move(handler), error_code(asio::error::not_connected));
        return;
    }
    boost::container::small_vector<const char*, 24> argv(args.size());
    boost::container::small_vector<std::size_t, 24> lengths(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
        argv[i] = args[i].data();
        lengths[i] = args[i].size();
    }
    char* formatted = nullptr;
    const int length =
        redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv.data(), lengths.data());
    if (length < 0) {
        complete(std::move(handler), error_code(asio::error::no_memory));
        return;
    }
    outgoing_.append(formatted, static_cast<std::size_t>(length));
    redisFreeCommand(formatted);
    pending_.push_back({std::move(handler), std::chrono::steady_clock::now() + options_.commandTimeout});
    if (!writing_) {
        writing_ = true;
        asio::co_spawn(executor_, writeLoop(shared_from_this()), asio::detached);
    }
}

void RedisConnection::complete(Handler handler, RedisResult result) {
    // Posted, never called inline: the waiting coroutine resumes from the event loop, not from
    // inside the reader's loop over a batch of replies.
    asio::post(executor_, [handler = std::move(handler), result = std::move(result)]() mutable {
        std::move(handler)(std::move(result));
    });
}

asio::awaitable<void> RedisConnection::writeLoop([[maybe_unused]] std::shared_ptr<RedisConnection> self) {
    const std::uint64_t generation = generation_;
    while (!outgoing_.empty() && socketOpen_ && generation == generation_) {
        inFlightWrite_.swap(outgoing_);
        outgoing_.clear();
        auto [ec, written] = co_await asio::async_write(socket_, asio::buffer(inFlightWrite_), kNoThrow);
        if (ec) {
            if (generation == generation_) closeSocket(ec);
            break;
        }
    }
    writing_ = false;
    // A reconnect may have queued commands while this loop still waited on the old socket.
    if (socketOpen_ && !outgoing_.empty()) {
        writing_ = true;
        asio::co_spawn(executor_, writeLoop(std::move(self)), asio::detached);
    }
}

asio::awaitable<void> RedisConnection::supervise([[maybe_unused]] std::shared_ptr<RedisConnection> self) {
    auto backoff = options_.backoffInitial;
    while (!stopped_) {
        const error_code ec = co_await connectSocket();
        if (!ec) {
            asio::co_spawn(executor_, handshake(self, generation_), asio::detached);
            co_await readUntilClosed();
            if (connected_) {
                spdlog::warn("redis {}:{}: connection lost ({})", endpoint_.host, endpoint_.port,
                             closeReason_.message());
                backoff = options_.backoffInitial;
            }
            connected_ = false;
        } else if (!stopped_) {
            spdlog::debug("redis {}:{}: connect failed ({})", endpoint_.host, endpoint_.port, ec.message());
        }
        if (stopped_) break;
        backoffTimer_.expires_after(backoff);
        co_await backoffTimer_.async_wait(kNoThrow);
        backoff = std::min(backoff * 2, options_.backoffMax);
    }
}

asio::awaitable<error_code> RedisConnection::connectSocket() {
    Tcp::resolver resolver(executor_);
    auto [resolveError, endpoints] =
        co_await resolver.async_resolve(endpoint_.host, std::to_string(endpoint_.port), kNoThrow);
    if (resolveError) co_return resolveError;

    // A connect attempt is bounded: the timer closes the socket, which ends the attempt.
    asio::steady_timer deadline(executor_);
    deadline.expires_after(options_.connectTimeout);
    deadline.async_wait([this](error_code ec) {
        if (!ec && !socketOpen_) socket_.close();
    });
    auto [connectError, endpoint] = co_await asio::async_connect(socket_, endpoints, kNoThrow);
    deadline.cancel();
    if (connectError) {
        socket_.close();
        co_return connectError;
    }
    if (stopped_) {
        socket_.close();
        co_return error_code(asio::error::operation_aborted);
    }
    socket_.set_option(Tcp::no_delay(true));
    if (reader_ != nullptr) redisReaderFree(reader_);
    reader_ = createBoundedReader();
    socketOpen_ = true;
    ++generation_;
    closeReason_ = {};
    co_return error_code{};
}

asio::awaitable<void> RedisConnection::handshake([[maybe_unused]] std::shared_ptr<RedisConnection> self,
                                                 std::uint64_t generation) {
    std::vector<std::vector<std::string>> steps;
    if (!endpoint_.password.empty()) {
        steps.push_back(endpoint_.username.empty()
                            ? std::vector<std::string>{"AUTH", endpoint_.password}
                            : std::vector<std::string>{"AUTH", endpoint_.username, endpoint_.password});
    }
    if (endpoint_.database != 0) steps.push_back({"SELECT", std::to_string(endpoint_.database)});
    steps.push_back({"PING"});  // a server still loading its AOF answers an error here: retry later
    for (const auto& step : steps) {
        const std::vector<std::string_view> args(step.begin(), step.end());
        const RedisResult result = co_await send(args);
        if (generation != generation_ || !socketOpen_ || result.has_error()) co_return;
        if (result->view().isError()) {
            spdlog::error("redis {}:{}: {} refused: {}", endpoint_.host, endpoint_.port, step.front(),
                          result->view().text());
            closeSocket(asio::error::access_denied);
            co_return;
        }
    }
    connected_ = true;
    spdlog::info("redis {}:{}: connected", endpoint_.host, endpoint_.port);
}

asio::awaitable<void> RedisConnection::readUntilClosed() {
    std::array<char, 16 * 1024> buffer;
    while (socketOpen_) {
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
        while (socketOpen_) {
            if (redisReaderGetReply(reader_, &reply) != REDIS_OK) {
                closeSocket(asio::error::fault);  // not RESP: nothing after this can be trusted
                break;
            }
            if (reply == nullptr) break;
            RedisReply owned(static_cast<redisReply*>(reply));
            if (pending_.empty()) {
                closeSocket(asio::error::fault);
                break;
            }
            Handler handler = std::move(pending_.front().handler);
            pending_.pop_front();
            complete(std::move(handler), std::move(owned));
        }
    }
    failAllPending(closeReason_ ? closeReason_ : error_code(asio::error::connection_reset));
}

asio::awaitable<void> RedisConnection::watchdog([[maybe_unused]] std::shared_ptr<RedisConnection> self) {
    const auto period = std::max(std::chrono::milliseconds(10), options_.commandTimeout / 4);
    while (!stopped_) {
        watchdogTimer_.expires_after(period);
        co_await watchdogTimer_.async_wait(kNoThrow);
        if (stopped_) break;
        if (!pending_.empty() && pending_.front().deadline < std::chrono::steady_clock::now()) {
            spdlog::warn("redis {}:{}: no reply within {} ms, reconnecting", endpoint_.host, endpoint_.port,
                         options_.commandTimeout.count());
            closeSocket(asio::error::timed_out);
        }
    }
}

void RedisConnection::closeSocket(error_code reason) {
    if (socketOpen_ && !closeReason_) closeReason_ = reason;
    socketOpen_ = false;
    connected_ = false;
    outgoing_.clear();
    error_code ignored;
    socket_.close(ignored);
}

void RedisConnection::failAllPending(error_code reason) {
    while (!pending_.empty()) {
        Handler handler = std::move(pending_.front().handler);
        pending_.pop_front();
        complete(std::move(handler), reason);
    }
}

}  // namespace jkjav::redis
