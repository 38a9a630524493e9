#include "crowd_people.hpp"

#include <cstdio>

namespace jkjav::bench {

std::string myKadOf(std::uint32_t index) {
    // Block 500 onwards: flash_crowd.lua's threads use blocks 0..63 (+64 per million requests).
    const std::uint32_t block = 500 + index / 1'000'000;
    const unsigned day = block % 28 + 1;
    const unsigned month = block / 28 % 12 + 1;
    const unsigned year = (90 + 100 - block / 336 % 90) % 100;
    char text[16];
    std::snprintf(text, sizeof text, "%02u%02u%02u%06u", year, month, day, index % 1'000'000);
    return text;
}

std::vector<Person> crowdOf(std::uint32_t people, double preShare, std::int64_t fromMs,
                            std::int64_t opensAtMs, std::int64_t afterMs) {
    std::vector<Person> crowd(people);
    const auto before = static_cast<std::uint32_t>(static_cast<double>(people) * preShare);
    const std::uint32_t after = people - before;
    for (std::uint32_t i = 0; i < before; ++i) {
        crowd[i].joinAtMs = fromMs + (opensAtMs - fromMs) * static_cast<std::int64_t>(i) / before;
    }
    for (std::uint32_t i = 0; i < after; ++i) {
        crowd[before + i].joinAtMs = opensAtMs + afterMs * static_cast<std::int64_t>(i) / after;
    }
    return crowd;
}

}  // namespace jkjav::bench
