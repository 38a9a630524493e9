// One booking's words for book.lua (alone) or book_batch.lua (one of many), and its answer read back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_reply.hpp"
#include "app/ports/booking_store.hpp"

namespace jkjav::redis {

// The booking in a flat name/value reply (a booking hash, book.lua's HELD); nullopt unless every
// field of it is there.
std::optional<domain::Booking> bookingFromPairs(ReplyView pairs);

class BookCall {
  public:
    // book.lua's KEYS; book_batch.lua's shared KEYS (those every booking of a batch has in common).
    static constexpr std::size_t kKeys = 9;
    static constexpr std::size_t kSharedBatchKeys = 6;
    static constexpr std::size_t kOwnBatchKeys = 3;

    // Views of `draft`, `slotKey` and `queue`'s member are kept: they must outlive the call.
    BookCall(const RedisKeys& keys, const domain::Booking& draft, std::string_view slotKey, bool joinWaitlist,
             app::QueuePass queue);
    BookCall(const BookCall&) = delete;  // its keys are views into its own buffer
    BookCall& operator=(const BookCall&) = delete;

    // book.lua's kKeys keys, then its arguments; views into this call.
    void appendKeysAndArgs(std::vector<std::string_view>& out) const;
    // book_batch.lua's parts: the shared keys (once per batch), this booking's own keys, its arguments.
    static void appendSharedBatchKeys(const RedisKeys& keys, std::vector<std::string_view>& out);
    void appendOwnBatchKeys(std::vector<std::string_view>& out) const;
    void appendArgs(std::vector<std::string_view>& out) const;
    // How many arguments appendArgs() adds: the same for every booking.
    static std::size_t argCount();

    // book.lua's answer (alone, or one element of book_batch.lua's) as the port's result. Errors
    // are logged, with personal data masked, and answered as kStoreUnavailable.
    [[nodiscard]] app::StoreResult resultFrom(ReplyView reply) const;

  private:
    const RedisKeys& keys_;
    const domain::Booking& draft_;
    std::string_view slotKey_;
    bool joinWaitlist_;
    app::QueuePass queue_;
    // Its three keys in one allocation (booking, waitlist place, the slot's waitlist), viewed below.
    std::string keyText_;
    std::string_view bookingKey_;
    std::string_view waitingKey_;
    std::string_view waitlistKey_;
};

}  // namespace jkjav::redis
