// Batched bookings on one thread's Redis connection: while a booking call is in flight, the bookings
// that arrive wait, and go together as one book_batch.lua call when it returns. An idle connection
// sends a lone booking at once (book.lua), so batching adds no wait; it only fills the time a call
// spends in flight anyway. Every caller gets its own booking's answer, as book.lua would have
// answered them one after another in the order they arrived.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "adapters/redis/book_call.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "adapters/redis/replica_ack.hpp"

namespace jkjav::redis {

// The most bookings one call carries, unless configured (BOOKING_BATCH_MAX). Redis runs one script
// at a time, so a batch holds up every other command on that Redis (the other threads' bookings,
// availability reads, the relay, the waiting room) for as long as it runs: at about 10 us a booking
// inside Redis (INFO commandstats under the flash crowd), 64 keep a call under about 1 ms, far
// inside the command timeout, while a thread rarely has more bookings in flight than that (the
// flash crowd's 50 connections made batches of 16 on average). The queue behind a call is bounded
// by the open HTTP connections (MAX_CONNECTIONS), each waiting for one booking at a time. The
// setting's ceiling, 1000, is about 10 ms of Redis.
inline constexpr std::size_t kDefaultBookingBatchMax = 64;

// How batches went, for tests and benchmarks (this thread's only).
struct BatchStats {
    std::uint64_t calls = 0;     // book.lua and book_batch.lua calls sent
    std::uint64_t bookings = 0;  // bookings they carried
    std::size_t largest = 0;     // the most bookings one call carried
};

class BookingBatcher : public std::enable_shared_from_this<BookingBatcher> {
  public:
    // maxBatch: the most bookings one call carries; 1 turns batching off (every booking is its own
    // book.lua call, pipelined as soon as it arrives). With `ack` requiring replicas, each call is
    // followed by one WAIT (replica_ack.hpp): a batch shares it, and while it waits the next batch
    // gathers. One connection, one call at a time: a second connection sending the next batch
    // during the WAIT was measured side by side (bench/replication.sh, THREADS=2) and lost: smaller
    // batches cost Redis more a booking (0.77-0.79x the rate without WAIT, 6.7 bookings a WAIT,
    // against 0.82-0.83x and 11.8 with one).
    static std::shared_ptr<BookingBatcher> create(std::shared_ptr<RedisConnection> connection,
                                                  const RedisKeys& keys, std::size_t maxBatch,
                                                  ReplicaAck ack = {});
    BookingBatcher(const BookingBatcher&) = delete;
    BookingBatcher& operator=(const BookingBatcher&) = delete;

    // BookingStore::book's work. `draft`, `slotKey` and `queue`'s member must outlive the awaitable
    // (they do when it is awaited at once, as the port's callers do).
    boost::asio::awaitable<app::StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                  bool joinWaitlist, app::QueuePass queue);

    [[nodiscard]] const BatchStats& stats() const { return stats_; }

  private:
    using Handler = boost::asio::any_completion_handler<void(app::StoreResult)>;
    struct Waiting {
        const BookCall* call;
        Handler handler;
    };

    BookingBatcher(std::shared_ptr<RedisConnection> connection, const RedisKeys& keys, std::size_t maxBatch,
                   ReplicaAck ack);

    // One book.lua call. `leading`: this booking found no call in flight, so when its answer is
    // back, those that arrived meanwhile are sent (drain) before it returns.
    boost::asio::awaitable<app::StoreResult> sendAlone(const BookCall& call, bool leading);
    // Not a coroutine: the awaitable for `call`, alone at once or waiting for the next batch.
    boost::asio::awaitable<app::StoreResult> route(const BookCall& call);
    // Sends what waits, at most maxBatch_ bookings a call, one call at a time, until nothing does.
    boost::asio::awaitable<void> drain(std::shared_ptr<BookingBatcher> self);
    void count(std::size_t bookings);

    std::shared_ptr<RedisConnection> connection_;
    RedisKeys keys_;  // its own copy: a batch in flight may outlive the store that made this
    std::size_t maxBatch_;
    ReplicaAck ack_;
    RedisScript bookScript_;
    RedisScript batchScript_;
    std::string argCountText_;  // book_batch.lua's ARGV[1]
    bool inFlight_ = false;     // a booking call is out: new bookings wait for the next batch
    std::deque<Waiting> waiting_;
    BatchStats stats_;
};

}  // namespace jkjav::redis
