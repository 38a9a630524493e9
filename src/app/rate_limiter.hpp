// Per-client token buckets in a fixed-size table shared by every worker thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "domain/token_bucket.hpp"

namespace jkjav::app {

// A client as 16 bytes (an IPv4 address v4-mapped, an IPv6 /64 prefix): what the table keys on.
using ClientKey = std::array<std::uint8_t, 16>;

struct Admission {
    bool allowed = true;
    long long retryAfterSeconds = 0;  // refused: until the next token, at least 1
};

// Memory is fixed at construction whatever the number of clients: `cells` buckets in sets of
// kWays, a client hashed (with a per-process random seed) to one set. A client not in its set
// takes the cell of a full bucket (a bucket refills completely in 2 s, after which it carries no
// information), else of the bucket closest to full; so a spray of addresses can only hand the
// sprayed-out clients a fresh burst, and a client that exhausted its bucket is the last to go.
// One table serves every thread: SO_REUSEPORT spreads a client's connections over the threads,
// and per-thread tables would multiply its limit by THREADS. Striped locks keep the threads apart.
class RateLimiter {
  public:
    static constexpr std::size_t kWays = 4;
    static constexpr std::size_t kDefaultCells = 65'536;

    // perSecond 0: off, admit() allows everything without touching the table.
    explicit RateLimiter(double perSecond, std::size_t cells = kDefaultCells,
                         std::uint64_t seed = randomSeed());

    [[nodiscard]] bool enabled() const { return rule_.has_value(); }
    [[nodiscard]] std::size_t cells() const { return cells_.size(); }
    // Thread-safe. `now` on a monotonic clock: the caller's, so tests control time.
    Admission admit(const ClientKey& client, std::chrono::steady_clock::time_point now);

    static std::uint64_t randomSeed();

  private:
    struct Cell {
        ClientKey client{};
        std::int64_t fullAt = 0;  // see TokenBucketRule; 0: an empty (full) bucket
    };
    struct alignas(64) Stripe {
        std::mutex mutex;
    };
    static constexpr std::size_t kStripes = 256;

    [[nodiscard]] std::size_t setOf(const ClientKey& client) const;

    std::optional<domain::TokenBucketRule> rule_;
    std::uint64_t seed_;
    std::size_t sets_;
    std::vector<Cell> cells_;
    std::unique_ptr<Stripe[]> stripes_;
};

}  // namespace jkjav::app
