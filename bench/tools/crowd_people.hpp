// The crowd's people: each a distinct valid MyKad number, their ticket, when they join and what
// became of them. Plain data, one entry per person, so that 200,000 of them fit in a few MB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jkjav::bench {

enum class Fate : std::uint8_t {
    kPending,         // not finished when the crowd stopped
    kBooked,          // admitted, then booked (200)
    kClosedSoldOut,   // told `closed` SOLD_OUT, at joining or while waiting
    kAdmissionEnded,  // told `closed` ADMISSION_ENDED (admitted, never booked in time)
    kRefused,         // the join or a ticket refused (400/403/409 other than the expected ones)
    kGaveUp,          // too many failed requests (no answer, 5xx)
};

struct Person {
    std::string ticket;
    std::int64_t joinAtMs = 0;        // when the person arrives (Unix ms)
    std::int64_t joinedAtMs = -1;     // the join's 200 arrived
    std::int64_t estimateAtJoin = 0;  // estimatedWaitSeconds of that answer
    std::int64_t admittedSeenAtMs = -1;
    std::int64_t endedAtMs = -1;  // booked, or told closed
    std::uint16_t joins = 0;
    std::uint16_t polls = 0;
    std::uint16_t bookings = 0;
    std::uint16_t failures = 0;
    std::uint8_t joinedState = 0;  // the state the join answered: 0 prequeue, 1 waiting, 2 admitted, 3 closed
    Fate fate = Fate::kPending;
};

// Person `index`'s MyKad number: a real YYMMDD and a six-digit serial, unique per index (a block of
// dates that the flash-crowd script's wrk threads do not use).
std::string myKadOf(std::uint32_t index);

// Arrival times: `preShare` of the people uniformly over [fromMs, opensAtMs), the rest uniformly over
// [opensAtMs, opensAtMs + afterMs].
std::vector<Person> crowdOf(std::uint32_t people, double preShare, std::int64_t fromMs,
                            std::int64_t opensAtMs, std::int64_t afterMs);

}  // namespace jkjav::bench
