#include "adapters/redis/book_call.hpp"

#include <spdlog/spdlog.h>

#include "adapters/redis/redis_record.hpp"
#include "domain/person_id.hpp"

namespace jkjav::redis {

using app::StoreResult;
using domain::Outcome;

std::optional<domain::Booking> bookingFromPairs(ReplyView pairs) {
    domain::Booking booking;
    if (assignFromPairs(booking, pairs) < fieldCount<domain::Booking>()) return std::nullopt;
    return booking;
}

BookCall::BookCall(const RedisKeys& keys, const domain::Booking& draft, std::string_view slotKey,
                   bool joinWaitlist, app::QueuePass queue)
    : keys_(keys), draft_(draft), slotKey_(slotKey), joinWaitlist_(joinWaitlist), queue_(queue) {
    // The same keys as RedisKeys::booking, ::waiting and ::waitlist, built in one buffer.
    constexpr std::string_view kBooking = "booking:", kWaiting = "waiting:", kWaitlist = "waitlist:";
    const std::string_view prefix = keys.prefix, person = draft.mysejahteraId;
    keyText_.reserve(3 * prefix.size() + kBooking.size() + kWaiting.size() + kWaitlist.size() +
                     2 * person.size() + slotKey.size());
    keyText_.append(prefix).append(kBooking).append(person);
    const std::size_t waitingAt = keyText_.size();
    keyText_.append(prefix).append(kWaiting).append(person);
    const std::size_t waitlistAt = keyText_.size();
    keyText_.append(prefix).append(kWaitlist).append(slotKey);
    const std::string_view text = keyText_;  // no reallocation from here on: the views stay valid
    bookingKey_ = text.substr(0, waitingAt);
    waitingKey_ = text.substr(waitingAt, waitlistAt - waitingAt);
    waitlistKey_ = text.substr(waitlistAt);
}

void BookCall::appendKeysAndArgs(std::vector<std::string_view>& out) const {
    out.insert(out.end(), {keys_.slots, bookingKey_, keys_.sequence, keys_.outbox, waitingKey_, waitlistKey_,
                           keys_.campaign, keys_.queueAdmitted, keys_.queueLane});
    appendArgs(out);
}

void BookCall::appendSharedBatchKeys(const RedisKeys& keys, std::vector<std::string_view>& out) {
    out.insert(out.end(),
               {keys.slots, keys.sequence, keys.outbox, keys.campaign, keys.queueAdmitted, keys.queueLane});
}

void BookCall::appendOwnBatchKeys(std::vector<std::string_view>& out) const {
    out.insert(out.end(), {bookingKey_, waitingKey_, waitlistKey_});
}

void BookCall::appendArgs(std::vector<std::string_view>& out) const {
    // "2": a waitlist place, for which a place in line suffices while the campaign is sold out.
    const std::string_view waitlist = !joinWaitlist_ ? "0" : queue_.waitlistInLine ? "2" : "1";
    out.insert(out.end(), {slotKey_, waitlist, draft_.mysejahteraId, draft_.createdAt, queue_.member});
    appendFieldPairs(draft_, out, {"reference"});  // the script assigns the reference
}

std::size_t BookCall::argCount() {
    // Counted by appending them once, so an argument added to appendArgs() is counted too.
    static const std::size_t count = [] {
        const RedisKeys keys;
        const domain::Booking draft{};
        std::vector<std::string_view> out;
        BookCall(keys, draft, "", false, {}).appendArgs(out);
        return out.size();
    }();
    return count;
}

StoreResult BookCall::resultFrom(ReplyView reply) const {
    if (reply.isError()) {
        // A script error may quote its arguments, which hold ids and phone numbers: masked.
        spdlog::error("book.lua failed: {}", domain::maskPersonalInText(reply.text()));
        return StoreResult{Outcome::kStoreUnavailable, {}};
    }
    const std::string_view outcomeText = valueNamed(reply, "outcome").text();
    if (outcomeText == "ERROR") {  // one booking of a batch failed (book_batch.lua)
        spdlog::error("book.lua failed: {}", domain::maskPersonalInText(valueNamed(reply, "error").text()));
        return StoreResult{Outcome::kStoreUnavailable, {}};
    }
    const Outcome outcome = domain::outcomeFromScript(outcomeText);
    if (outcome == Outcome::kBooked) {
        // The script answers only what it added: the reference.
        const ReplyView reference = valueNamed(reply, "reference");
        if (!reference.isString()) return StoreResult{Outcome::kStoreUnavailable, {}};
        StoreResult result{outcome, draft_};
        result.booking.reference = reference.text();
        return result;
    }
    if (outcome == Outcome::kAlreadyHeld) {
        auto booking = bookingFromPairs(reply);
        if (!booking) return StoreResult{Outcome::kStoreUnavailable, {}};
        return StoreResult{outcome, std::move(*booking)};
    }
    if (outcome == Outcome::kWaitlisted)
        return StoreResult{outcome, {}, valueNamed(reply, "position").asInteger().value_or(0)};
    return StoreResult{outcome, {}};
}

}  // namespace jkjav::redis
