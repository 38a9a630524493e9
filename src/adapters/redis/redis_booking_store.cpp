#include "adapters/redis/redis_booking_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <vector>

#include "adapters/redis/cancel_call.hpp"
#include "adapters/redis/redis_record.hpp"
#include "domain/person_id.hpp"
#include "domain/phone_number.hpp"

namespace jkjav::embedded {
extern const std::string_view kBookLua;
extern const std::string_view kWaitlistLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {

using app::StoreResult;
using domain::Outcome;

namespace {

// A script's answer: a flat name/value list with the outcome under "outcome".
Outcome outcomeOf(ReplyView reply) { return domain::outcomeFromScript(valueNamed(reply, "outcome").text()); }

// The booking in a flat name/value reply; nullopt unless every field of it is there.
std::optional<domain::Booking> bookingFrom(ReplyView pairs) {
    domain::Booking booking;
    if (assignFromPairs(booking, pairs) < fieldCount<domain::Booking>()) return std::nullopt;
    return booking;
}

}  // namespace

RedisBookingStore::RedisBookingStore(std::shared_ptr<RedisConnection> connection, RedisKeys keys)
    : connection_(std::move(connection)),
      keys_(std::move(keys)),
      bookScript_(embedded::kBookLua),
      cancelScript_(embedded::kCancelLua),
      waitlistScript_(embedded::kWaitlistLua) {}

boost::asio::awaitable<StoreResult> RedisBookingStore::book(const domain::Booking& draft,
                                                            std::string_view slotKey, bool joinWaitlist,
                                                            app::QueuePass queue) {
    const std::string bookingKey = keys_.booking(draft.mysejahteraId);
    const std::string waitingKey = keys_.waiting(draft.mysejahteraId);
    const std::string waitlistKey = keys_.waitlist(slotKey);
    constexpr std::size_t kKeys = 9;
    std::vector<std::string_view> keysAndArgs;
    keysAndArgs.reserve(kKeys + 5 + 2 * fieldCount<domain::Booking>());
    keysAndArgs = {keys_.slots, bookingKey,     keys_.sequence,      keys_.outbox,   waitingKey,
                   waitlistKey, keys_.campaign, keys_.queueAdmitted, keys_.queueLane};
    // "2": a waitlist place, for which a place in line suffices while the campaign is sold out.
    const std::string_view waitlist = !joinWaitlist ? "0" : queue.waitlistInLine ? "2" : "1";
    keysAndArgs.insert(keysAndArgs.end(),
                       {slotKey, waitlist, draft.mysejahteraId, draft.createdAt, queue.member});
    appendFieldPairs(draft, keysAndArgs, {"reference"});  // the script assigns the reference
    const RedisResult result = co_await bookScript_.run(*connection_, kKeys, keysAndArgs);
    if (!result) co_return StoreResult{Outcome::kStoreUnavailable, {}};

    const ReplyView reply = result->view();
    if (reply.isError()) {
        // A script error may quote its arguments, which hold ids and phone numbers: masked.
        spdlog::error("book.lua failed: {}", domain::maskPersonalInText(reply.text()));
        co_return StoreResult{Outcome::kStoreUnavailable, {}};
    }
    const Outcome outcome = outcomeOf(reply);
    if (outcome == Outcome::kBooked) {
        // The script answers only what it added: the reference.
        const ReplyView reference = valueNamed(reply, "reference");
        if (!reference.isString()) co_return StoreResult{Outcome::kStoreUnavailable, {}};
        domain::Booking booking = draft;
        booking.reference = reference.text();
        co_return StoreResult{outcome, std::move(booking)};
    }
    if (outcome == Outcome::kAlreadyHeld) {
        auto booking = bookingFrom(reply);
        if (!booking) co_return StoreResult{Outcome::kStoreUnavailable, {}};
        co_return StoreResult{outcome, std::move(*booking)};
    }
    if (outcome == Outcome::kWaitlisted)
        co_return StoreResult{outcome, {}, valueNamed(reply, "position").asInteger().value_or(0)};
    co_return StoreResult{outcome, {}};
}

boost::asio::awaitable<app::FindResult> RedisBookingStore::find(std::string_view personId,
                                                                std::string_view phoneNumber) {
    const std::string bookingKey = keys_.booking(personId);
    const std::array<std::string_view, 2> command{"HGETALL", bookingKey};
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result || !result->view().isArray()) co_return app::FindResult{};
    // A wrong phone number and no booking answer alike, so ids can't be probed. Bookings stored
    // before phone numbers were E.164 hold another form of the same number.
    const auto forms = domain::storedPhoneForms(phoneNumber);
    auto booking = bookingFrom(result->view());
    if (!booking || std::find(forms.begin(), forms.end(), booking->phoneNumber) == forms.end())
        co_return app::FindResult{Outcome::kNotFound, {}, {}};
    booking->phoneNumber = forms.front();  // answered in today's form, whatever form it was stored in
    co_return app::FindResult{Outcome::kFound, std::move(*booking), {}};
}

boost::asio::awaitable<app::FindResult> RedisBookingStore::cancel(std::string_view personId,
                                                                  std::string_view phoneNumber,
                                                                  std::string_view cancelledAt) {
    const CancelCall call(keys_, personId, domain::storedPhoneForms(phoneNumber), cancelledAt,
                          Canceller::kPerson);
    const auto keysAndArgs = call.keysAndArgs();
    const RedisResult result = co_await cancelScript_.run(*connection_, CancelCall::kKeys, keysAndArgs);
    if (!result) co_return app::FindResult{};
    if (result->view().isError()) {
        spdlog::error("cancel.lua failed: {}", domain::maskPersonalInText(result->view().text()));
    }
    co_return cancelResultFrom(result->view());
}

boost::asio::awaitable<app::WaitlistResult> RedisBookingStore::findWaitlistPlace(
    std::string_view personId, std::string_view phoneNumber) {
    co_return co_await runWaitlist("find", personId, phoneNumber);
}

boost::asio::awaitable<app::WaitlistResult> RedisBookingStore::leaveWaitlist(std::string_view personId,
                                                                             std::string_view phoneNumber) {
    co_return co_await runWaitlist("leave", personId, phoneNumber);
}

boost::asio::awaitable<app::WaitlistResult> RedisBookingStore::runWaitlist(std::string_view mode,
                                                                           std::string_view personId,
                                                                           std::string_view phoneNumber) {
    const std::string placeKey = keys_.waiting(personId);
    // Places taken before phone numbers were E.164 hold another form of the same number.
    const auto forms = domain::storedPhoneForms(phoneNumber);
    std::vector<std::string_view> keysAndArgs{placeKey, mode, keys_.prefix, personId};
    keysAndArgs.insert(keysAndArgs.end(), forms.begin(), forms.end());
    const RedisResult result = co_await waitlistScript_.run(*connection_, 1, keysAndArgs);
    if (!result) co_return app::WaitlistResult{};
    const ReplyView reply = result->view();
    if (reply.isError()) {
        spdlog::error("waitlist.lua failed: {}", domain::maskPersonalInText(reply.text()));
        co_return app::WaitlistResult{};
    }
    const std::string_view outcome = valueNamed(reply, "outcome").text();
    if (outcome == "NOT_FOUND") co_return app::WaitlistResult{Outcome::kNotFound, {}};
    if (outcome != "FOUND" && outcome != "LEFT") co_return app::WaitlistResult{};
    app::WaitlistPlace place{std::string(valueNamed(reply, "location").text()),
                             std::string(valueNamed(reply, "date").text()),
                             valueNamed(reply, "position").asInteger().value_or(0),
                             std::string(valueNamed(reply, "joinedAt").text())};
    co_return app::WaitlistResult{outcome == "LEFT" ? Outcome::kCancelled : Outcome::kFound,
                                  std::move(place)};
}

}  // namespace jkjav::redis
