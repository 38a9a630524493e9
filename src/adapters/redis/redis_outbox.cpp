#include "adapters/redis/redis_outbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "adapters/redis/redis_record.hpp"
#include "domain/person_id.hpp"

namespace jkjav::redis {
namespace {

// XACK and XDEL in one atomic step: an entry is either still pending or gone.
constexpr std::string_view kAcknowledgeLua = R"lua(
redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
return redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
)lua";

}  // namespace

RedisOutbox::RedisOutbox(std::shared_ptr<RedisConnection> connection, RedisKeys keys, OutboxOptions options)
    : connection_(std::move(connection)),
      keys_(std::move(keys)),
      options_(std::move(options)),
      acknowledgeScript_(kAcknowledgeLua) {}

boost::asio::awaitable<bool> RedisOutbox::ensureGroup() {
    if (groupReady_) co_return true;
    // From id 0: events written before the first relay ever ran are delivered too.
    const std::array<std::string_view, 6> command{"XGROUP",       "CREATE", keys_.outbox,
                                                  options_.group, "0",      "MKSTREAM"};
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result) co_return false;
    if (result->view().isError() && !result->view().text().starts_with("BUSYGROUP")) {
        spdlog::error("outbox: XGROUP CREATE failed: {}", domain::maskPersonalInText(result->view().text()));
        co_return false;
    }
    groupReady_ = true;
    co_return true;
}

boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> RedisOutbox::read(
    std::span<const std::string_view> command, bool isClaim) {
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result) co_return std::nullopt;
    const ReplyView reply = result->view();
    if (reply.isError()) {
        if (reply.text().starts_with("NOGROUP")) groupReady_ = false;  // the stream was deleted
        // Events hold ids and phone numbers, should an error ever quote one: masked.
        spdlog::warn("outbox: {} failed: {}", command[0], domain::maskPersonalInText(reply.text()));
        co_return std::nullopt;
    }
    std::vector<app::OutboxEntry> entries;
    // XREADGROUP: [[stream, [entry...]]] or nil; XAUTOCLAIM: [cursor, [entry...], [deleted...]].
    const ReplyView list = isClaim ? reply[1] : reply[0][1];
    std::vector<std::string> vanished;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (auto entry = outboxEntryFrom(list[i])) {
            entries.push_back(std::move(*entry));
        } else {
            vanished.emplace_back(list[i][0].text());
        }
    }
    if (!vanished.empty()) co_await acknowledge(vanished);  // nothing left to deliver: clear them
    co_return entries;
}

boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> RedisOutbox::nextBatch(
    std::size_t max, bool retryPending) {
    if (!co_await ensureGroup()) co_return std::nullopt;
    const std::string count = std::to_string(max);
    batchSession_ = connection_->session();  // what is read below is confirmed on this one only

    if (retryPending) {
        const std::array<std::string_view, 9> own{"XREADGROUP",      "GROUP",      options_.group,
                                                  options_.consumer, "COUNT",      count,
                                                  "STREAMS",         keys_.outbox, "0"};
        auto entries = co_await read(own, false);
        if (!entries || !entries->empty()) co_return entries;
    }

    const auto now = std::chrono::steady_clock::now();
    if (now - lastClaim_ >= options_.claimIdle / 2) {
        lastClaim_ = now;
        const std::string idle = std::to_string(options_.claimIdle.count());
        const std::array<std::string_view, 8> claim{
            "XAUTOCLAIM", keys_.outbox, options_.group, options_.consumer, idle, "0-0", "COUNT", count};
        auto entries = co_await read(claim, true);
        if (!entries || !entries->empty()) {
            if (entries && !entries->empty())
                spdlog::info("outbox: claimed {} entries of a stopped relay", entries->size());
            co_return entries;
        }
    }

    const std::string block = std::to_string(options_.blockFor.count());
    const std::array<std::string_view, 11> fresh{
        "XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT", count,
        "BLOCK",      block,   "STREAMS",      keys_.outbox,      ">"};
    co_return co_await read(fresh, false);
}

boost::asio::awaitable<bool> RedisOutbox::acknowledge(std::span<const std::string> entryIds) {
    if (entryIds.empty()) co_return true;
    std::vector<std::string_view> keysAndArgs{keys_.outbox, options_.group};
    keysAndArgs.insert(keysAndArgs.end(), entryIds.begin(), entryIds.end());
    const RedisResult result = co_await acknowledgeScript_.run(*connection_, 1, keysAndArgs);
    co_return result && !result->view().isError();
}

boost::asio::awaitable<bool> RedisOutbox::confirmReplicated() {
    // A fence written after the read: its replication offset is past every entry read.
    // Only on the connection the batch was read on: one to another primary (a failover between
    // the read and here) would confirm its own stream, not the entries read from the old one.
    co_return co_await redis::confirmReplicated(*connection_, keys_, options_.ack, batchSession_);
}

boost::asio::awaitable<std::optional<long long>> RedisOutbox::backlog() {
    const std::array<std::string_view, 2> command{"XLEN", keys_.outbox};
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result || !result->view().isInteger()) co_return std::nullopt;
    co_return result->view().integer();
}

boost::asio::awaitable<std::optional<long long>> RedisOutbox::oldestMillis() {
    // Delivered entries are deleted (acknowledgeScript_), so the stream's first entry is the oldest
    // undelivered one, and its id starts with the milliseconds Redis wrote it at.
    const std::array<std::string_view, 6> first{"XRANGE", keys_.outbox, "-", "+", "COUNT", "1"};
    const RedisResult result = co_await connection_->executeArgv(first);
    if (!result || result->view().isError()) co_return std::nullopt;
    const ReplyView entries = result->view();
    if (entries.size() == 0) co_return 0;
    const std::string_view id = entries[0][0].text();
    long long millis = 0;
    const auto dash = id.find('-');
    const auto [end, ec] = std::from_chars(id.data(), id.data() + std::min(dash, id.size()), millis);
    if (ec != std::errc()) co_return std::nullopt;
    co_return millis;
}

}  // namespace jkjav::redis
