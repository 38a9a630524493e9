#include "adapters/redis/redis_booking_store.hpp"

#include <spdlog/spdlog.h>

#include <array>

namespace jkjav::embedded {
extern const std::string_view kBookLua;
}

namespace jkjav::redis {

using app::StoreOutcome;
using app::StoreResult;

namespace {

StoreOutcome outcomeFromText(std::string_view text) {
    if (text == "BOOKED") return StoreOutcome::kBooked;
    if (text == "HELD") return StoreOutcome::kAlreadyHeld;
    if (text == "ALREADY_BOOKED") return StoreOutcome::kAlreadyBooked;
    if (text == "FULL") return StoreOutcome::kFull;
    if (text == "UNKNOWN_SLOT") return StoreOutcome::kUnknownSlot;
    return StoreOutcome::kUnavailable;
}

domain::Booking bookingFromReply(ReplyView reply) {
    auto field = [&](std::size_t i) { return std::string(reply[i].text()); };
    return {field(1), field(2), field(3), field(4), field(5), field(6), field(7), field(8), field(9)};
}

}  // namespace

RedisBookingStore::RedisBookingStore(std::shared_ptr<RedisConnection> connection, RedisKeys keys)
    : connection_(std::move(connection)), keys_(std::move(keys)), bookScript_(embedded::kBookLua) {}

boost::asio::awaitable<StoreResult> RedisBookingStore::book(const domain::Booking& draft,
                                                            std::string_view slotKey) {
    const std::string bookingKey = keys_.booking(draft.mysejahteraId);
    const std::array<std::string_view, 13> keysAndArgs{
        keys_.slots,         bookingKey,      keys_.sequence, keys_.outbox,  slotKey,
        draft.mysejahteraId, draft.firstName, draft.lastName, draft.address, draft.location,
        draft.phoneNumber,   draft.date,      draft.createdAt};
    const RedisResult result = co_await bookScript_.run(*connection_, 4, keysAndArgs);
    if (!result) co_return StoreResult{StoreOutcome::kUnavailable, {}};

    const ReplyView reply = result->view();
    if (reply.isError()) {
        spdlog::error("book.lua failed: {}", reply.text());
        co_return StoreResult{StoreOutcome::kUnavailable, {}};
    }
    const StoreOutcome outcome = outcomeFromText(reply[0].text());
    if (outcome == StoreOutcome::kBooked || outcome == StoreOutcome::kAlreadyHeld) {
        if (reply.size() != 10) co_return StoreResult{StoreOutcome::kUnavailable, {}};
        co_return StoreResult{outcome, bookingFromReply(reply)};
    }
    co_return StoreResult{outcome, {}};
}

}  // namespace jkjav::redis
