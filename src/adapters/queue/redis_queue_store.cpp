#include "adapters/queue/redis_queue_store.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "adapters/queue/queue_figures_reply.hpp"
#include "adapters/redis/redis_record.hpp"
#include "domain/person_id.hpp"

namespace jkjav::embedded {
extern const std::string_view kQueueJoinLua;
extern const std::string_view kQueuePlaceLua;
extern const std::string_view kQueueAdmitLua;
extern const std::string_view kQueueRecordJoinLua;
}  // namespace jkjav::embedded

namespace jkjav::queue {

using redis::ReplyView;
using redis::valueNamed;

namespace {

std::int64_t integerNamed(ReplyView reply, std::string_view name, std::int64_t otherwise = 0) {
    return valueNamed(reply, name).asInteger().value_or(otherwise);
}

app::QueuePlace placeFrom(ReplyView reply) {
    return {.rank = integerNamed(reply, "rank", -1),
            .admissionExpiresAtMs = integerNamed(reply, "expiresAt", -1)};
}

// A double as the script's argument, every digit kept.
std::string exact(double value) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

}  // namespace

RedisQueueStore::RedisQueueStore(std::shared_ptr<redis::RedisConnection> connection, redis::RedisKeys keys,
                                 const domain::QueueSettings& settings)
    : connection_(std::move(connection)),
      keys_(std::move(keys)),
      settings_(settings),
      opensAt_(std::to_string(settings.opensAtMs)),
      joinScript_(embedded::kQueueJoinLua),
      placeScript_(embedded::kQueuePlaceLua),
      admitScript_(embedded::kQueueAdmitLua),
      recordJoinScript_(embedded::kQueueRecordJoinLua) {}

boost::asio::awaitable<app::QueueJoinResult> RedisQueueStore::join(std::string_view member,
                                                                   std::string_view personId,
                                                                   double drawKey) {
    const std::string bookingKey = keys_.booking(personId);
    const std::string draw = exact(drawKey);
    const std::string preQueueOpensAt = std::to_string(settings_.preQueueOpensAtMs);
    const std::array<std::string_view, 10> keysAndArgs{
        keys_.queueLane, keys_.queueAdmitted, keys_.queueState, keys_.slots,
        bookingKey,      keys_.campaign,      member,           draw,
        opensAt_,        preQueueOpensAt};
    const redis::RedisResult result = co_await joinScript_.run(*connection_, 6, keysAndArgs);
    app::QueueJoinResult joined;
    if (!result) co_return joined;
    const ReplyView reply = result->view();
    if (reply.isError()) {
        // Its keys hold the person's id (their booking's key): masked like every script error.
        spdlog::error("join.lua failed: {}", domain::maskPersonalInText(reply.text()));
        co_return joined;
    }
    const std::string_view outcome = valueNamed(reply, "outcome").text();
    if (outcome == "JOINED") {
        joined.outcome = domain::Outcome::kFound;
        joined.place = placeFrom(reply);
        joined.figures = queueFiguresFrom(reply, settings_.admitPerSecond);
    } else if (outcome == "TOO_EARLY") {
        joined.outcome = domain::Outcome::kQueueNotOpen;
        joined.figures.nowMs = integerNamed(reply, "now");
    } else {
        joined.outcome = domain::outcomeFromScript(outcome);  // ALREADY_BOOKED, NOT_SEEDED
    }
    co_return joined;
}

boost::asio::awaitable<app::QueuePlaceResult> RedisQueueStore::place(std::string_view member) {
    const std::array<std::string_view, 6> keysAndArgs{
        keys_.queueLane, keys_.queueAdmitted, keys_.queueState, keys_.slots, member, opensAt_};
    const redis::RedisResult result = co_await placeScript_.run(*connection_, 4, keysAndArgs);
    app::QueuePlaceResult found;
    if (!result || result->view().isError() || !result->view().isArray()) {
        if (result && result->view().isError()) spdlog::error("place.lua failed: {}", result->view().text());
        co_return found;
    }
    found.answered = true;
    found.place = placeFrom(result->view());
    found.figures = queueFiguresFrom(result->view(), settings_.admitPerSecond);
    co_return found;
}

boost::asio::awaitable<app::QueueJoinRecord> RedisQueueStore::recordJoin(std::string_view member,
                                                                         std::int64_t joinedAtMs,
                                                                         std::int64_t estimateSeconds) {
    const std::string joinedAt = std::to_string(joinedAtMs);
    const std::string estimate = std::to_string(estimateSeconds);
    const std::array<std::string_view, 4> keysAndArgs{keys_.queueJoins, member, joinedAt, estimate};
    const redis::RedisResult result = co_await recordJoinScript_.run(*connection_, 1, keysAndArgs);
    app::QueueJoinRecord record;
    if (!result || result->view().isError()) {
        if (result) spdlog::error("record_join.lua failed: {}", result->view().text());
        co_return record;
    }
    const std::string kept(result->view().text());
    const auto colon = kept.find(':');
    if (colon == std::string::npos) co_return record;
    record.answered = true;
    record.joinedAtMs = std::strtoll(kept.c_str(), nullptr, 10);
    record.estimateSeconds = std::strtoll(kept.c_str() + colon + 1, nullptr, 10);
    co_return record;
}

boost::asio::awaitable<app::AdmissionRound> RedisQueueStore::admit() {
    const std::string rate = exact(settings_.admitPerSecond);
    const std::string admissionMs = std::to_string(settings_.admissionSeconds * 1000);
    const std::string factor = exact(settings_.overAdmitFactor);
    const std::string catchUp = std::to_string(domain::kMaxAdmissionCatchUpMs);
    const std::array<std::string_view, 9> keysAndArgs{keys_.queueLane,  keys_.queueAdmitted,
                                                      keys_.queueState, keys_.slots,
                                                      opensAt_,         rate,
                                                      admissionMs,      factor,
                                                      catchUp};
    const redis::RedisResult result = co_await admitScript_.run(*connection_, 4, keysAndArgs);
    app::AdmissionRound round;
    if (!result || result->view().isError() || !result->view().isArray()) {
        if (result && result->view().isError()) spdlog::error("admit.lua failed: {}", result->view().text());
        co_return round;
    }
    round.answered = true;
    round.admittedNow = integerNamed(result->view(), "admittedNow");
    round.figures = queueFiguresFrom(result->view(), settings_.admitPerSecond);
    co_return round;
}

boost::asio::awaitable<app::QueueDrawPage> RedisQueueStore::drawn(std::int64_t from, std::int64_t count) {
    // Drawn places score in [0, 1), arrivals after opensAt 1 + their number: by score, only the draw.
    const std::string offset = std::to_string(from);
    const std::string limit = std::to_string(count);
    const std::array<std::string_view, 8> argv{"ZRANGE",  keys_.queueLane, "0",    "(1",
                                               "BYSCORE", "LIMIT",         offset, limit};
    const redis::RedisResult result = co_await connection_->executeArgv(argv);
    app::QueueDrawPage page;
    if (!result || !result->view().isArray()) {
        if (result && result->view().isError())
            spdlog::error("reading the draw failed: {}", result->view().text());
        co_return page;
    }
    const ReplyView reply = result->view();
    page.members.reserve(reply.size());
    for (std::size_t i = 0; i < reply.size(); ++i) page.members.emplace_back(reply[i].text());
    page.answered = true;
    co_return page;
}

}  // namespace jkjav::queue
