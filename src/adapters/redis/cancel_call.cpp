#include "adapters/redis/cancel_call.hpp"

#include "adapters/redis/redis_record.hpp"

namespace jkjav::redis {

CancelCall::CancelCall(const RedisKeys& keys, std::string_view personId, std::vector<std::string> phoneForms,
                       std::string_view cancelledAt, Canceller who, std::string_view reason)
    : keys_(keys),
      bookingKey_(keys.booking(personId)),
      phoneForms_(std::move(phoneForms)),
      cancelledAt_(cancelledAt),
      who_(who),
      reason_(reason) {}

std::vector<std::string_view> CancelCall::keysAndArgs() const {
    const std::string_view today = phoneForms_.empty() ? std::string_view() : phoneForms_.front();
    std::vector<std::string_view> out{
        keys_.slots,  bookingKey_,    keys_.sequence,
        keys_.outbox, keys_.campaign, today,
        cancelledAt_, keys_.prefix,   who_ == Canceller::kOperator ? "operator" : "person",
        reason_};
    // ARGV[6...]: the older forms the same number may be stored in.
    if (!phoneForms_.empty()) out.insert(out.end(), phoneForms_.begin() + 1, phoneForms_.end());
    return out;
}

app::FindResult cancelResultFrom(ReplyView reply) {
    if (reply.isError()) return app::FindResult{};
    const auto outcome = domain::outcomeFromScript(valueNamed(reply, "outcome").text());
    if (outcome == domain::Outcome::kNotFound) return app::FindResult{domain::Outcome::kNotFound, {}, {}};
    domain::Booking booking;
    if (outcome != domain::Outcome::kCancelled ||
        assignFromPairs(booking, reply) < fieldCount<domain::Booking>()) {
        return app::FindResult{};  // NOT_SEEDED: unavailable, as for bookings
    }
    return app::FindResult{outcome, std::move(booking), std::string(valueNamed(reply, "promoted").text())};
}

}  // namespace jkjav::redis
