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
extern const std::string_view kWaitlistLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {

using domain::Outcome;

RedisBookingStore::RedisBookingStore(std::shared_ptr<RedisConnection> connection, RedisKeys keys,
                                     std::size_t bookingBatchMax, std::shared_ptr<RedisConnection> writes,
                                     ReplicaAck ack)
    : connection_(std::move(connection)),
      writes_(writes != nullptr ? std::move(writes) : connection_),
      keys_(std::move(keys)),
      ack_(ack),
      batcher_(BookingBatcher::create(writes_, keys_, bookingBatchMax, ack_)),
      cancelScript_(embedded::kCancelLua),
      waitlistScript_(embedded::kWaitlistLua) {}

// Not a coroutine: the batcher's coroutine is the only frame a booking adds here.
boost::asio::awaitable<app::StoreResult> RedisBookingStore::book(const domain::Booking& draft,
                                                                 std::string_view slotKey, bool joinWaitlist,
                                                                 app::QueuePass queue) {
    return batcher_->book(draft, slotKey, joinWaitlist, queue);
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
    auto booking = bookingFromPairs(result->view());
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
    const ConfirmedResult ran =
        co_await runConfirmed(cancelScript_, *writes_, keys_, ack_, CancelCall::kKeys, keysAndArgs);
    const RedisResult& result = ran.result;
    if (!result) co_return app::FindResult{};
    if (result->view().isError()) {
        spdlog::error("cancel.lua failed: {}", domain::maskPersonalInText(result->view().text()));
    }
    co_return unlessConfirmed(cancelResultFrom(result->view()), ran.confirmed);
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
