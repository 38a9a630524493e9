// Booking references: "JK", the seeding's epoch (6 characters), then a sequence number of at
// least 7 digits, e.g. JKT5ZQ8K0000001. The store assigns the sequence; the epoch makes a
// reference unique for ever, even if the store loses its data and the campaign is seeded again.
#pragma once

#include <chrono>
#include <string>

namespace jkjav::domain {

// The epoch of a seeding done at `seededAt`: its Unix time in seconds in base 36, upper case,
// zero-padded to 6 characters (7 from December 2038 on).
std::string referenceEpoch(std::chrono::system_clock::time_point seededAt);

}  // namespace jkjav::domain
