#include "adapters/redis/redis_record.hpp"

namespace jkjav::redis {

ReplyView valueNamed(ReplyView pairs, std::string_view name) {
    for (std::size_t i = 0; i + 1 < pairs.size(); i += 2) {
        if (pairs[i].text() == name) return pairs[i + 1];
    }
    return ReplyView(nullptr);
}

std::optional<app::OutboxEntry> outboxEntryFrom(ReplyView entry) {
    const ReplyView fields = entry[1];
    if (!fields.isArray()) return std::nullopt;  // deleted while pending
    app::OutboxEntry out;
    out.entryId = entry[0].text();
    assignFromPairs(out.event, fields);
    // Entries written before the stream carried createdAt: a booking.created's is its occurredAt.
    if (out.event.booking.createdAt.empty()) out.event.booking.createdAt = out.event.occurredAt;
    // The stream id: the same on every redelivery of this entry, never reused.
    out.event.eventId = "jkjav-" + out.entryId;
    return out;
}

}  // namespace jkjav::redis
