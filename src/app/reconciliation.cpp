#include "app/reconciliation.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace jkjav::app {
namespace {

using domain::Booking;

// The fields compared, with their names. createdAt is not: Redis keeps the booking's text, the
// record a timestamptz, and the reference already ties both to one booking.
struct ComparedField {
    const char* name;
    std::string Booking::*member;
};
constexpr ComparedField kComparedFields[] = {
    {"reference", &Booking::reference},
    {"firstName", &Booking::firstName},
    {"lastName", &Booking::lastName},
    {"address", &Booking::address},
    {"phoneNumber", &Booking::phoneNumber},
    {"location", &Booking::location},
    {"date", &Booking::date},
};

auto orderKey(const Difference& d) { return std::tie(d.slot, d.person, d.kind, d.field); }

}  // namespace

std::string slotKey(const Booking& booking) { return booking.location + ":" + booking.date; }

std::vector<Difference> reconcile(const LedgerView& redis, const LedgerView& record,
                                  const InFlight& inFlight) {
    std::vector<Difference> differences;
    std::unordered_map<std::string, const Booking*> recorded;
    for (const Booking& booking : record.active) recorded.emplace(booking.mysejahteraId, &booking);

    for (const Booking& held : redis.active) {
        if (inFlight.persons.contains(held.mysejahteraId)) {
            recorded.erase(held.mysejahteraId);
            continue;
        }
        const auto found = recorded.find(held.mysejahteraId);
        if (found == recorded.end()) {
            differences.push_back({DifferenceKind::kMissingInRecord, held.mysejahteraId, held.reference,
                                   slotKey(held), "", "", ""});
            continue;
        }
        const Booking& stored = *found->second;
        for (const ComparedField& field : kComparedFields) {
            if (held.*field.member != stored.*field.member) {
                differences.push_back({DifferenceKind::kFieldDiffers, held.mysejahteraId, held.reference,
                                       slotKey(held), field.name, held.*field.member, stored.*field.member});
            }
        }
        recorded.erase(found);
    }
    for (const auto& [person, stored] : recorded) {
        if (inFlight.persons.contains(person)) continue;
        differences.push_back(
            {DifferenceKind::kExtraInRecord, person, stored->reference, slotKey(*stored), "", "", ""});
    }

    std::set<std::string> slots;
    for (const auto& [slot, count] : redis.booked) slots.insert(slot);
    for (const auto& [slot, count] : record.booked) slots.insert(slot);
    for (const std::string& slot : slots) {
        const auto inRedis = redis.booked.contains(slot) ? redis.booked.at(slot) : 0;
        const auto inRecord = record.booked.contains(slot) ? record.booked.at(slot) : 0;
        const auto pending = inFlight.bookedDelta.contains(slot) ? inFlight.bookedDelta.at(slot) : 0;
        if (inRedis != inRecord + pending) {
            differences.push_back({DifferenceKind::kCountDiffers, "", "", slot, "booked",
                                   std::to_string(inRedis), std::to_string(inRecord)});
        }
    }
    std::sort(differences.begin(), differences.end(),
              [](const Difference& a, const Difference& b) { return orderKey(a) < orderKey(b); });
    return differences;
}

std::vector<Difference> persisting(const std::vector<Difference>& earlier,
                                   const std::vector<Difference>& later) {
    std::vector<Difference> kept;
    for (const Difference& difference : later) {
        const bool seenBefore = std::any_of(earlier.begin(), earlier.end(), [&](const Difference& e) {
            return orderKey(e) == orderKey(difference);
        });
        if (seenBefore) kept.push_back(difference);
    }
    return kept;
}

}  // namespace jkjav::app
