#include "domain/queue_rules.hpp"

#include <algorithm>
#include <cmath>

namespace jkjav::domain {

AdmissionsDue admissionsDue(std::int64_t elapsedMs, double perSecond, double carry) {
    const std::int64_t elapsed = std::clamp<std::int64_t>(elapsedMs, 0, kMaxAdmissionCatchUpMs);
    const double exact =
        static_cast<double>(elapsed) * std::max(perSecond, 0.0) / 1000.0 + std::max(carry, 0.0);
    const double whole = std::floor(exact);
    return {static_cast<std::int64_t>(whole), exact - whole};
}

std::int64_t admissionCap(std::int64_t remaining, double overAdmitFactor) {
    if (remaining <= 0) return 0;
    return static_cast<std::int64_t>(std::floor(static_cast<double>(remaining) * overAdmitFactor));
}

std::int64_t admitNow(std::int64_t due, std::int64_t cap, std::int64_t outstanding, std::int64_t waiting) {
    return std::max<std::int64_t>(0, std::min({due, cap - outstanding, waiting}));
}

std::int64_t pollSeconds(std::int64_t ahead, double perSecond) {
    const double rate = std::max(perSecond, 1.0);
    const double half = std::ceil(static_cast<double>(std::max<std::int64_t>(ahead, 0)) / (2 * rate));
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(half), 1, kMaxPollSeconds);
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
