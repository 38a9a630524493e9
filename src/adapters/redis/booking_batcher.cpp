#include "adapters/redis/booking_batcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/container/small_vector.hpp>
#include <iterator>
#include <vector>

#include "domain/person_id.hpp"

namespace jkjav::embedded {
extern const std::string_view kBookLua;
extern const std::string_view kBookBatchLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {

namespace asio = boost::asio;
using app::StoreResult;

std::shared_ptr<BookingBatcher> BookingBatcher::create(std::shared_ptr<RedisConnection> connection,
                                                       const RedisKeys& keys, std::size_t maxBatch,
                                                       ReplicaAck ack) {
    return std::shared_ptr<BookingBatcher>(new BookingBatcher(std::move(connection), keys, maxBatch, ack));
}

BookingBatcher::BookingBatcher(std::shared_ptr<RedisConnection> connection, const RedisKeys& keys,
                               std::size_t maxBatch, ReplicaAck ack)
    : connection_(std::move(connection)),
      keys_(keys),
      maxBatch_(std::max<std::size_t>(maxBatch, 1)),
      ack_(ack),
      bookScript_(embedded::kBookLua),
      batchScript_(embedded::kBookBatchLua),
      argCountText_(std::to_string(BookCall::argCount())) {}

// Kept small, with one await: GCC gives every awaited result its own slot in the frame, and a
// frame over 1 KiB is never recycled by Asio and takes glibc's slow path on every booking.
asio::awaitable<StoreResult> BookingBatcher::book(const domain::Booking& draft, std::string_view slotKey,
                                                  bool joinWaitlist, app::QueuePass queue) {
    const BookCall call(keys_, draft, slotKey, joinWaitlist, queue);
    co_return co_await route(call);
}

asio::awaitable<StoreResult> BookingBatcher::route(const BookCall& call) {
    if (maxBatch_ == 1) return sendAlone(call, false);
    if (!inFlight_) {
        inFlight_ = true;  // awaited at once by book(): nothing else runs before it is sent
        return sendAlone(call, true);
    }
    return asio::async_initiate<decltype(asio::use_awaitable), void(StoreResult)>(
        [this, &call](auto handler) {
            waiting_.push_back(Waiting{&call, std::move(handler)});
        },
        asio::use_awaitable);
}

asio::awaitable<StoreResult> BookingBatcher::sendAlone(const BookCall& call, bool leading) {
    std::vector<std::string_view> keysAndArgs;
    keysAndArgs.reserve(BookCall::kKeys + BookCall::argCount());
    call.appendKeysAndArgs(keysAndArgs);
    count(1);
    // Without replicas required, the plain call: no extra coroutine frame on the hot path.
    ConfirmedResult ran;
    ran.confirmed = true;
    const std::uint64_t session = connection_->session();  // the script's answer comes on this one
    if (ack_.required()) {
        ran = co_await runConfirmed(bookScript_, *connection_, keys_, ack_, BookCall::kKeys, keysAndArgs);
    } else {
        ran.result = co_await bookScript_.run(*connection_, BookCall::kKeys, keysAndArgs);
    }
    const RedisResult& result = ran.result;
    StoreResult answer =
        result ? call.resultFrom(result->view()) : StoreResult{domain::Outcome::kStoreUnavailable, {}};
    if (ran.confirmed && ack_.required() && needsFence(std::span(&answer.outcome, 1)))
        ran.confirmed = co_await confirmReplicated(*connection_, keys_, ack_, session);
    if (leading) {
        if (waiting_.empty()) {
            inFlight_ = false;
        } else {
            // Those who came meanwhile go next, without waiting for this caller's coroutine.
            asio::co_spawn(co_await asio::this_coro::executor, drain(shared_from_this()), asio::detached);
        }
    }
    co_return unlessConfirmed(std::move(answer), ran.confirmed);
}

asio::awaitable<void> BookingBatcher::drain([[maybe_unused]] std::shared_ptr<BookingBatcher> self) {
    const auto executor = co_await asio::this_coro::executor;
    std::vector<std::string_view> keysAndArgs;
    while (!waiting_.empty()) {
        const std::size_t size = std::min(waiting_.size(), maxBatch_);
        // Handlers are only ever move-constructed, never assigned: assigning one any_completion_handler
        // to another recurses until the stack overflows in Boost 1.81.
        std::vector<Waiting> batch;
        batch.reserve(size);
        for (std::size_t i = 0; i < size; ++i) {
            batch.push_back(std::move(waiting_.front()));
            waiting_.pop_front();
        }

        std::vector<StoreResult> results(size);
        if (size == 1) {
            results[0] = co_await sendAlone(*batch[0].call, false);
        } else {
            const std::size_t numKeys = BookCall::kSharedBatchKeys + BookCall::kOwnBatchKeys * size;
            keysAndArgs.clear();
            keysAndArgs.reserve(numKeys + 1 + BookCall::argCount() * size);
            BookCall::appendSharedBatchKeys(keys_, keysAndArgs);
            for (const auto& one : batch) one.call->appendOwnBatchKeys(keysAndArgs);
            keysAndArgs.push_back(argCountText_);
            for (const auto& one : batch) one.call->appendArgs(keysAndArgs);
            count(size);
            const std::uint64_t session = connection_->session();
            const ConfirmedResult ran =
                co_await runConfirmed(batchScript_, *connection_, keys_, ack_, numKeys, keysAndArgs);
            const RedisResult& result = ran.result;
            if (result && result->view().isError()) {
                spdlog::error("book_batch.lua failed: {}", domain::maskPersonalInText(result->view().text()));
            } else if (result && result->view().isArray() && result->view().size() == size) {
                for (std::size_t i = 0; i < size; ++i)
                    results[i] = batch[i].call->resultFrom(result->view()[i]);
            }
            // Otherwise (no reply, or not one answer per booking): every result stays kStoreUnavailable.
            bool confirmed = ran.confirmed;
            if (confirmed && ack_.required()) {
                // On the stack for a batch of the default size or less.
                boost::container::small_vector<domain::Outcome, kDefaultBookingBatchMax> outcomes;
                for (const auto& one : results) outcomes.push_back(one.outcome);
                if (needsFence(outcomes))
                    confirmed = co_await confirmReplicated(*connection_, keys_, ack_, session);
            }
            for (auto& one : results) one = unlessConfirmed(std::move(one), confirmed);
        }
        // Posted, never called inline: each caller resumes from the event loop, not inside this loop.
        for (std::size_t i = 0; i < size; ++i) {
            asio::post(executor,
                       [handler = std::move(batch[i].handler), result = std::move(results[i])]() mutable {
                           std::move(handler)(std::move(result));
                       });
        }
    }
    inFlight_ = false;
}

void BookingBatcher::count(std::size_t bookings) {
    ++stats_.calls;
    stats_.bookings += bookings;
    stats_.largest = std::max(stats_.largest, bookings);
}

}  // namespace jkjav::redis
