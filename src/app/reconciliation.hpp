// Use case: do Redis (what citizens were told) and the system of record (PostgreSQL) agree?
// Pure: both sides are read by adapters; this compares them and lists every difference.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/booking.hpp"

namespace jkjav::app {

// One side's active bookings and its booked count per slot ("LOCATION:YYYYMMDD").
struct LedgerView {
    std::vector<domain::Booking> active;
    std::map<std::string, long long> booked;
};

// Events Redis has written but the record may not hold yet (still in the outbox): their people are
// not compared, and their net effect on each slot (+1 a creation, -1 a cancellation) is allowed.
struct InFlight {
    std::set<std::string> persons;
    std::map<std::string, long long> bookedDelta;
};

enum class DifferenceKind : std::uint8_t {
    kMissingInRecord,  // active in Redis, not in PostgreSQL
    kExtraInRecord,    // active in PostgreSQL, not in Redis
    kFieldDiffers,     // the same person's active booking, a field differs
    kCountDiffers,     // a slot's booked count
};

struct Difference {
    DifferenceKind kind;
    std::string person;     // empty for kCountDiffers
    std::string reference;  // Redis's, else PostgreSQL's
    std::string slot;       // "LOCATION:YYYYMMDD"
    std::string field;      // kFieldDiffers: the booking field's name
    std::string inRedis;
    std::string inRecord;
    bool operator==(const Difference&) const = default;
};

// Every difference, in a stable order (by slot, then person).
std::vector<Difference> reconcile(const LedgerView& redis, const LedgerView& record,
                                  const InFlight& inFlight);

// The differences of `later` that `earlier` already had: what a second look after events in
// transit had time to land still finds.
std::vector<Difference> persisting(const std::vector<Difference>& earlier,
                                   const std::vector<Difference>& later);

std::string slotKey(const domain::Booking& booking);

}  // namespace jkjav::app
