// BookingStore on Redis: each booking is one EVALSHA of book.lua on this thread's connection.
#pragma once

#include <memory>

#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_script.hpp"
#include "app/ports/booking_store.hpp"

namespace jkjav::redis {

class RedisBookingStore final : public app::BookingStore {
  public:
    RedisBookingStore(std::shared_ptr<RedisConnection> connection, RedisKeys keys);

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

  private:
    std::shared_ptr<RedisConnection> connection_;
    RedisKeys keys_;
    RedisScript bookScript_;
    RedisScript cancelScript_;
    RedisScript waitlistScript_;

    // waitlist.lua, `mode` "find" or "leave".
    boost::asio::awaitable<app::WaitlistResult> runWaitlist(std::string_view mode, std::string_view personId,
                                                            std::string_view phoneNumber);
};

}  // namespace jkjav::redis
