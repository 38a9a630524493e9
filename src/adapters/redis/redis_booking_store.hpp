// BookingStore on Redis: bookings go through this thread's BookingBatcher (book.lua alone, or
// book_batch.lua for those that arrived together); the rest are one script or command each.
#pragma once

#include <memory>

#include "adapters/redis/booking_batcher.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "adapters/redis/replica_ack.hpp"
#include "app/ports/booking_store.hpp"

namespace jkjav::redis {

class RedisBookingStore final : public app::BookingStore {
  public:
    // bookingBatchMax: the most bookings one Redis call carries; 1 sends each alone.
    // `writes`: the connection bookings and cancellations go on (nullptr: `connection`). With `ack`
    // requiring replicas, each of their calls is followed there by a WAIT (replica_ack.hpp), which
    // holds that connection: reads stay on `connection`.
    RedisBookingStore(std::shared_ptr<RedisConnection> connection, RedisKeys keys,
                      std::size_t bookingBatchMax = kDefaultBookingBatchMax,
                      std::shared_ptr<RedisConnection> writes = nullptr, ReplicaAck ack = {});

    boost::asio::awaitable<app::StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                  bool joinWaitlist, app::QueuePass queue) override;
    boost::asio::awaitable<app::FindResult> find(std::string_view personId,
                                                 std::string_view phoneNumber) override;
    boost::asio::awaitable<app::FindResult> cancel(std::string_view personId, std::string_view phoneNumber,
                                                   std::string_view cancelledAt) override;
    boost::asio::awaitable<app::WaitlistResult> findWaitlistPlace(std::string_view personId,
                                                                  std::string_view phoneNumber) override;
    boost::asio::awaitable<app::WaitlistResult> leaveWaitlist(std::string_view personId,
                                                              std::string_view phoneNumber) override;

    [[nodiscard]] const BatchStats& batchStats() const { return batcher_->stats(); }

  private:
    std::shared_ptr<RedisConnection> connection_;
    std::shared_ptr<RedisConnection> writes_;
    RedisKeys keys_;
    ReplicaAck ack_;
    std::shared_ptr<BookingBatcher> batcher_;
    RedisScript cancelScript_;
    RedisScript waitlistScript_;

    // waitlist.lua, `mode` "find" or "leave".
    boost::asio::awaitable<app::WaitlistResult> runWaitlist(std::string_view mode, std::string_view personId,
                                                            std::string_view phoneNumber);
};

}  // namespace jkjav::redis
