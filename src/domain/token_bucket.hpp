// A token bucket's decision for one request, as pure arithmetic on one number per client.
#pragma once

#include <chrono>
#include <cstdint>

namespace jkjav::domain {

// The bucket is kept as its "theoretical arrival time" (GCRA): the instant at which it would be
// full again. One integer per client instead of a token count and a time, and it refills by
// itself: a bucket whose time has passed is full, exactly like a bucket never seen.
class TokenBucketRule {
  public:
    // perSecond > 0 tokens a second; the bucket holds 2 x perSecond, and never less than one.
    explicit TokenBucketRule(double perSecond);

    struct Decision {
        bool allowed = false;
        std::int64_t fullAt = 0;          // the bucket's new state (allowed), or the old one (refused)
        std::chrono::nanoseconds wait{};  // refused: until the next token is there
    };

    // `fullAt` and `now` on one monotonic clock, in nanoseconds.
    [[nodiscard]] Decision decide(std::int64_t fullAt, std::int64_t now) const;
    [[nodiscard]] double burst() const { return burst_; }

  private:
    double burst_;
    std::int64_t perToken_;  // ns one token takes to come back
    std::int64_t capacity_;  // ns the whole bucket takes to come back: burst x perToken
};

// Seconds for a Retry-After header: rounded up, at least 1.
long long retryAfterSeconds(std::chrono::nanoseconds wait);

}  // namespace jkjav::domain
