#include "status_report.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "adapters/redis/redis_record.hpp"

namespace jkjav::cmd {

namespace {

using redis::ReplyView;

long long numberIn(ReplyView value) { return value.asInteger().value_or(0); }

// The milliseconds of a stream id ("1716950400000-0").
std::optional<long long> streamIdMillis(std::string_view id) {
    long long millis = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), millis);
    if (ec != std::errc()) return std::nullopt;
    return millis;
}

}  // namespace

std::optional<StatusReport> readStatus(AdminSession& session, const redis::RedisKeys& keys,
                                       std::chrono::system_clock::time_point now) {
    session.queue({"HMGET", keys.campaign, "id", "epoch", "seededAt"});
    session.queue({"HGETALL", keys.slots});
    session.queue({"HGETALL", keys.capacity});
    session.queue({"GET", keys.sequence});
    session.queue({"XLEN", keys.outbox});
    session.queue({"XRANGE", keys.outbox, "-", "+", "COUNT", "1"});
    session.queue({"XINFO", "CONSUMERS", keys.outbox, "relay"});  // an error reply before any relay ran
    std::vector<redis::RedisReply> replies;
    for (int i = 0; i < 7; ++i) {
        auto reply = session.nextReply();
        if (!reply) return std::nullopt;
        replies.push_back(std::move(*reply));
    }
    StatusReport report;
    const ReplyView marker = replies[0].view();
    if (marker[0].isString()) {
        report.campaign = CampaignStatus{std::string(marker[0].text()), std::string(marker[1].text()),
                                         std::string(marker[2].text())};
    }
    std::map<std::string, SlotStatus, std::less<>> bySlot;  // ordered: by location, then date
    const ReplyView counters = replies[1].view();
    for (std::size_t i = 0; i + 1 < counters.size(); i += 2) {
        const std::string_view key = counters[i].text();
        const auto colon = key.rfind(':');
        SlotStatus& slot = bySlot[std::string(key)];
        slot.location = key.substr(0, colon == std::string_view::npos ? key.size() : colon);
        slot.date = colon == std::string_view::npos ? "" : key.substr(colon + 1);
        slot.remaining = numberIn(counters[i + 1]);
    }
    const ReplyView capacities = replies[2].view();
    for (std::size_t i = 0; i + 1 < capacities.size(); i += 2) {
        const auto found = bySlot.find(capacities[i].text());
        if (found != bySlot.end()) found->second.capacity = numberIn(capacities[i + 1]);
    }
    report.referencesIssued = numberIn(replies[3].view());
    report.outboxBacklog = numberIn(replies[4].view());
    if (const auto oldest = streamIdMillis(replies[5].view()[0][0].text())) {
        const auto nowMillis =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        report.outboxOldestAgeSeconds = std::max(0.0, static_cast<double>(nowMillis - *oldest) / 1000.0);
    }
    const ReplyView consumers = replies[6].view();
    for (std::size_t i = 0; i < consumers.size(); ++i) {
        const ReplyView consumer = consumers[i];
        report.relays.push_back(RelayStatus{std::string(redis::valueNamed(consumer, "name").text()),
                                            numberIn(redis::valueNamed(consumer, "pending")),
                                            numberIn(redis::valueNamed(consumer, "idle"))});
    }

    // The waitlists, one LLEN each, pipelined.
    for (const auto& [key, slot] : bySlot) session.queue({"LLEN", keys.waitlist(key)});
    for (auto& [key, slot] : bySlot) {
        auto length = session.nextReply();
        if (!length) return std::nullopt;
        slot.waiting = numberIn(length->view());
        report.slots.push_back(std::move(slot));
    }
    return report;
}

}  // namespace jkjav::cmd
