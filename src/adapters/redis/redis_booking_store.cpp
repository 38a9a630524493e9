#include "adapters/redis/redis_booking_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <vector>

#include "domain/phone_number.hpp"

namespace jkjav::embedded {
extern const std::string_view kBookLua;
extern const std::string_view kCancelLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {

using app::StoreResult;
using domain::Outcome;

namespace {

domain::Booking bookingFromReply(ReplyView reply) {
    auto field = [&](std::size_t i) { return std::string(reply[i].text()); };
    return {field(1), field(2), field(3), field(4), field(5), field(6), field(7), field(8), field(9)};
}

}  // namespace

RedisBookingStore::RedisBookingStore(std::shared_ptr<RedisConnection> connection, RedisKeys keys)
    : connection_(std::move(connection)),
      keys_(std::move(keys)),
      bookScript_(embedded::kBookLua),
      cancelScript_(embedded::kCancelLua) {}

boost::asio::awaitable<StoreResult> RedisBookingStore::book(const domain::Booking& draft,
                                                            std::string_view slotKey, bool joinWaitlist) {
    const std::string bookingKey = keys_.booking(draft.mysejahteraId);
    const std::string waitingKey = keys_.waiting(draft.mysejahteraId);
    const std::string waitlistKey = keys_.waitlist(slotKey);
    const std::array<std::string_view, 18> keysAndArgs{keys_.slots,
                                                       bookingKey,
                                                       keys_.sequence,
                                                       keys_.outbox,
                                                       waitingKey,
                                                       waitlistKey,
                                                       keys_.campaign,
                                                       slotKey,
                                                       draft.mysejahteraId,
                                                       draft.firstName,
                                                       draft.lastName,
                                                       draft.address,
                                                       draft.location,
                                                       draft.phoneNumber,
                                                       draft.date,
                                                       draft.createdAt,
                                                       joinWaitlist ? "1" : "0",
                                                       keys_.prefix};
    const RedisResult result = co_await bookScript_.run(*connection_, 7, keysAndArgs);
    if (!result) co_return StoreResult{Outcome::kStoreUnavailable, {}};

    const ReplyView reply = result->view();
    if (reply.isError()) {
        spdlog::error("book.lua failed: {}", reply.text());
        co_return StoreResult{Outcome::kStoreUnavailable, {}};
    }
    const Outcome outcome = domain::outcomeFromScript(reply[0].text());
    if (outcome == Outcome::kBooked || outcome == Outcome::kAlreadyHeld) {
        if (reply.size() != 10) co_return StoreResult{Outcome::kStoreUnavailable, {}};
        co_return StoreResult{outcome, bookingFromReply(reply)};
    }
    if (outcome == Outcome::kWaitlisted) co_return StoreResult{outcome, {}, reply[1].integer()};
    co_return StoreResult{outcome, {}};
}

boost::asio::awaitable<app::FindResult> RedisBookingStore::find(std::string_view personId,
                                                                std::string_view phoneNumber) {
    const std::string bookingKey = keys_.booking(personId);
    const std::array<std::string_view, 12> command{"HMGET",       bookingKey, "phoneNumber", "mysejahteraId",
                                                   "firstName",   "lastName", "address",     "location",
                                                   "phoneNumber", "date",     "reference",   "createdAt"};
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result || !result->view().isArray()) co_return app::FindResult{};
    const ReplyView reply = result->view();
    // A wrong phone number and no booking answer alike, so ids can't be probed. Bookings stored
    // before phone numbers were E.164 hold another form of the same number.
    const auto forms = domain::storedPhoneForms(phoneNumber);
    if (reply[0].isNil() || std::find(forms.begin(), forms.end(), reply[0].text()) == forms.end())
        co_return app::FindResult{Outcome::kNotFound};
    domain::Booking booking = bookingFromReply(reply);
    booking.phoneNumber = forms.front();  // answered in today's form, whatever form it was stored in
    co_return app::FindResult{Outcome::kFound, std::move(booking)};
}

boost::asio::awaitable<app::FindResult> RedisBookingStore::cancel(std::string_view personId,
                                                                  std::string_view phoneNumber,
                                                                  std::string_view cancelledAt) {
    const std::string bookingKey = keys_.booking(personId);
    // ARGV[4...]: the older forms the same number may be stored in (see cancel.lua).
    const auto forms = domain::storedPhoneForms(phoneNumber);
    std::vector<std::string_view> keysAndArgs{keys_.slots,    bookingKey,    keys_.sequence, keys_.outbox,
                                              keys_.campaign, forms.front(), cancelledAt,    keys_.prefix};
    keysAndArgs.insert(keysAndArgs.end(), forms.begin() + 1, forms.end());
    const RedisResult result = co_await cancelScript_.run(*connection_, 5, keysAndArgs);
    if (!result) co_return app::FindResult{};
    const ReplyView reply = result->view();
    if (reply.isError()) {
        spdlog::error("cancel.lua failed: {}", reply.text());
        co_return app::FindResult{};
    }
    if (reply[0].text() == "NOT_SEEDED") co_return app::FindResult{};  // unavailable, as for bookings
    if (reply[0].text() != "CANCELLED" || reply.size() != 11) co_return app::FindResult{Outcome::kNotFound};
    co_return app::FindResult{Outcome::kCancelled, bookingFromReply(reply), std::string(reply[10].text())};
}

}  // namespace jkjav::redis
