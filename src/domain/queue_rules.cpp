#include "domain/queue_rules.hpp"

#include <algorithm>
#include <cmath>

namespace jkjav::domain {

std::int64_t admissionCap(std::int64_t remaining, double overAdmitFactor) {
    if (remaining <= 0) return 0;
    return static_cast<std::int64_t>(std::floor(static_cast<double>(remaining) * overAdmitFactor));
}

std::int64_t secondsToSellOut(std::int64_t remaining, double drainPerSecond) {
    if (remaining <= 0) return 0;
    if (!(drainPerSecond > 0)) return kNeverSellsOutSeconds;
    const double seconds = std::floor(static_cast<double>(remaining) / drainPerSecond);
    return static_cast<std::int64_t>(std::min(seconds, static_cast<double>(kNeverSellsOutSeconds)));
}

std::int64_t pollSeconds(std::int64_t ahead, double perSecond, std::int64_t sellOutSeconds) {
    const double rate = std::max(perSecond, 1.0);
    const double half = std::ceil(static_cast<double>(std::max<std::int64_t>(ahead, 0)) / (2 * rate));
    const std::int64_t byPlace =
        static_cast<std::int64_t>(std::min(half, static_cast<double>(kMaxPollSeconds)));
    return std::clamp<std::int64_t>(std::min(byPlace, sellOutSeconds / 2), 1, kMaxPollSeconds);
}

std::int64_t estimatedWaitSeconds(std::int64_t ahead, double perSecond) {
    if (ahead <= 0) return 0;
    const double rate = std::max(perSecond, 0.001);
    return static_cast<std::int64_t>(std::ceil(static_cast<double>(ahead) / rate));
}

double waitEstimateError(std::int64_t waitedMs, std::int64_t estimateSeconds) {
    const double waited = static_cast<double>(std::max<std::int64_t>(waitedMs, 0)) / 1000.0;
    const double estimate = static_cast<double>(std::max<std::int64_t>(estimateSeconds, 0));
    return (waited - estimate) / std::max(estimate, 1.0);
}

void AdmissionRateMeter::record(std::int64_t atMs, std::int64_t admittedTotal) {
    if (!samples_.empty() && atMs <= samples_.back().atMs) return;
    samples_.push_back({atMs, admittedTotal});
    while (samples_.size() > 2 && samples_.back().atMs - samples_[1].atMs >= kWindowMs) samples_.pop_front();
}

std::optional<double> AdmissionRateMeter::perSecond() const {
    if (samples_.size() < 2) return std::nullopt;
    const auto& first = samples_.front();
    const auto& last = samples_.back();
    const std::int64_t spanMs = last.atMs - first.atMs;
    const std::int64_t admitted = last.admittedTotal - first.admittedTotal;
    if (spanMs < 1000) return std::nullopt;
    // None admitted in the window (the cap holds while the admitted book): slower than one per
    // window is all that is known, and the estimate says so rather than quote the configured rate.
    return static_cast<double>(std::max<std::int64_t>(admitted, 1)) * 1000.0 / static_cast<double>(spanMs);
}

double drawKey(std::mt19937_64& generator) {
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace jkjav::domain
