// Described records (domain::Booking, domain::BookingEvent) as they cross into Redis: Lua script
// arguments as name/value pairs, and flat name/value replies (HGETALL, XREADGROUP entries, the
// scripts' answers) read by name. Field names come from the records' BOOST_DESCRIBE_STRUCT.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "adapters/record_fields.hpp"
#include "adapters/redis/redis_reply.hpp"
#include "app/ports/outbox.hpp"

namespace jkjav::redis {

// A field as Redis stores it: strings as they are, flags as "true"/"false" (static text, so the
// arguments can stay views).
inline std::string_view fieldText(const std::string& value) { return value; }
inline std::string_view fieldText(bool value) { return value ? "true" : "false"; }
inline void assignFieldText(std::string& field, std::string_view text) { field.assign(text); }
inline void assignFieldText(bool& field, std::string_view text) { field = text == "true"; }

// Appends name, value for every field of `record` but those in `except`.
template <adapters::DescribedRecord Record>
void appendFieldPairs(const Record& record, std::vector<std::string_view>& out,
                      std::initializer_list<std::string_view> except = {}) {
    adapters::forEachField(record, [&](std::string_view name, const auto& value) {
        for (const auto skipped : except) {
            if (skipped == name) return;
        }
        out.push_back(name);
        out.push_back(fieldText(value));
    });
}

// Assigns the fields of `record` named in the flat reply [name, value, name, value, ...]; names
// the record lacks are ignored (the stored hash also holds the store's own bookkeeping, e.g. slot).
// Returns how many of the record's fields were found.
template <adapters::DescribedRecord Record>
std::size_t assignFromPairs(Record& record, ReplyView pairs) {
    std::size_t found = 0;
    for (std::size_t i = 0; i + 1 < pairs.size(); i += 2) {
        const std::string_view name = pairs[i].text();
        adapters::forEachField(record, [&](std::string_view field, auto& value) {
            if (field != name) return;
            assignFieldText(value, pairs[i + 1].text());
            ++found;
        });
    }
    return found;
}

// How many fields a record has, nested records' counted as their own.
template <adapters::DescribedRecord Record>
std::size_t fieldCount() {
    std::size_t count = 0;
    Record record{};
    adapters::forEachField(record, [&](std::string_view, const auto&) { ++count; });
    return count;
}

// The value after `name` in a flat reply; a nil view when it is absent.
ReplyView valueNamed(ReplyView pairs, std::string_view name);

// One stream entry [id, [name, value, ...]] as the relay delivers it; nullopt for an entry deleted
// while pending.
std::optional<app::OutboxEntry> outboxEntryFrom(ReplyView entry);

}  // namespace jkjav::redis
