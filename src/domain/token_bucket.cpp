#include "domain/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace jkjav::domain {

namespace {
constexpr double kNanosPerSecond = 1e9;
}

TokenBucketRule::TokenBucketRule(double perSecond)
    : burst_(std::max(1.0, 2.0 * perSecond)),
      perToken_(static_cast<std::int64_t>(std::llround(kNanosPerSecond / perSecond))),
      capacity_(static_cast<std::int64_t>(std::llround(burst_ * kNanosPerSecond / perSecond))) {}

TokenBucketRule::Decision TokenBucketRule::decide(std::int64_t fullAt, std::int64_t now) const {
    // Taking a token moves the instant the bucket is full again one token later; the request is
    // allowed while that instant stays within one bucket's worth of time from now.
    const std::int64_t next = std::max(fullAt, now) + perToken_;
    const std::int64_t owed = next - now;
    if (owed <= capacity_) return {true, next, {}};
    return {false, fullAt, std::chrono::nanoseconds(owed - capacity_)};
}

long long retryAfterSeconds(std::chrono::nanoseconds wait) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return std::max<long long>(1, seconds);
}

}  // namespace jkjav::domain
