// One run of cancel.lua, in one place for its two callers: a person's cancel through the API
// (RedisBookingStore, phone number checked) and an operator's (jkjav-admin cancel, with a reason).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_reply.hpp"
#include "app/ports/booking_store.hpp"

namespace jkjav::embedded {
extern const std::string_view kCancelLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {

enum class Canceller {
    kPerson,    // the booking's phone number must match one of the forms given
    kOperator,  // no phone check; the event carries the operator's reason
};

class CancelCall {
  public:
    static constexpr std::size_t kKeys = 5;

    // phoneForms: domain::storedPhoneForms of the number, today's form first. An operator gives
    // those of the stored number (so the event carries it in today's form), or none.
    CancelCall(const RedisKeys& keys, std::string_view personId, std::vector<std::string> phoneForms,
               std::string_view cancelledAt, Canceller who, std::string_view reason = {});

    // kKeys keys, then the arguments, as cancel.lua takes them; views into this call.
    [[nodiscard]] std::vector<std::string_view> keysAndArgs() const;

  private:
    const RedisKeys& keys_;
    std::string bookingKey_;
    std::vector<std::string> phoneForms_;
    std::string cancelledAt_;
    Canceller who_;
    std::string reason_;
};

// cancel.lua's answer: kCancelled with the booking cancelled and whom the seat went to, kNotFound,
// or kStoreUnavailable (no marker, an error, or an answer without the booking).
app::FindResult cancelResultFrom(ReplyView reply);

}  // namespace jkjav::redis
