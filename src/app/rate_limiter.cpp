#include "app/rate_limiter.hpp"

#include <algorithm>
#include <cstring>
#include <random>

namespace jkjav::app {

namespace {

// MurmurHash3's finaliser: every input bit reaches every output bit.
std::uint64_t mix(std::uint64_t value) {
    value ^= value >> 33;
    value *= 0xff51afd7ed558ccdULL;
    value ^= value >> 33;
    value *= 0xc4ceb9fe1a85ec53ULL;
    value ^= value >> 33;
    return value;
}

}  // namespace

std::uint64_t RateLimiter::randomSeed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

RateLimiter::RateLimiter(double perSecond, std::size_t cells, std::uint64_t seed)
    : seed_(seed), sets_(std::max<std::size_t>(1, cells / kWays)), stripes_(new Stripe[kStripes]) {
    if (perSecond <= 0) return;
    rule_.emplace(perSecond);
    // Every cell written now, so the table is resident from the start and never grows.
    cells_.assign(sets_ * kWays, Cell{});
}

std::size_t RateLimiter::setOf(const ClientKey& client) const {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    std::memcpy(&high, client.data(), 8);
    std::memcpy(&low, client.data() + 8, 8);
    return mix(mix(high ^ seed_) ^ low) % sets_;
}

Admission RateLimiter::admit(const ClientKey& client, std::chrono::steady_clock::time_point now) {
    if (!rule_) return {};
    const std::int64_t nowNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    const std::size_t set = setOf(client);
    Cell* ways = &cells_[set * kWays];

    std::lock_guard lock(stripes_[set % kStripes].mutex);
    Cell* cell = nullptr;
    Cell* victim = &ways[0];
    for (std::size_t i = 0; i < kWays; ++i) {
        if (ways[i].client == client) {
            cell = &ways[i];
            break;
        }
        if (ways[i].fullAt < victim->fullAt) victim = &ways[i];
    }
    if (cell == nullptr) {
        // The earliest "full again" instant: a full bucket if there is one, else the one that
        // has the least left to refill.
        cell = victim;
        cell->client = client;
        cell->fullAt = 0;
    }
    const auto decision = rule_->decide(cell->fullAt, nowNs);
    cell->fullAt = decision.fullAt;
    if (decision.allowed) return {};
    return {false, domain::retryAfterSeconds(decision.wait)};
}

}  // namespace jkjav::app
