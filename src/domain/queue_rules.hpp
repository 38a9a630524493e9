// The waiting room's arithmetic, pure: how many people to admit now, how often a waiting client
// polls, and how long its wait is. admit.lua does the same sums inside Redis, atomically; these are
// their reference (tests/unit/domain/queue_rules_test.cpp holds both to the same cases).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <random>

namespace jkjav::domain {

// A campaign's `queue` section (README, "Campaign file"); times are Unix milliseconds.
struct QueueSettings {
    std::int64_t opensAtMs = 0;
    std::int64_t preQueueOpensAtMs = 0;  // default: opensAt - kDefaultPreQueueLead
    double admitPerSecond = 0;           // default: kDefaultAdmitPerSecond
    std::int64_t admissionSeconds = 0;   // default: kDefaultAdmissionSeconds
    double overAdmitFactor = 0;          // default: kDefaultOverAdmitFactor
};

inline constexpr std::int64_t kDefaultPreQueueLeadMs = 60 * 60 * 1000;  // one hour before opensAt
// The booking rate one server sustains with low latency (README, "Figures", the flash crowd: 32,418
// bookings/s with p99 4 ms on 2 cores), rounded down. The cap, not the rate, then decides how many
// hold an admission: with 20,000 slots at most 24,000.
inline constexpr double kDefaultAdmitPerSecond = 30000;
inline constexpr std::int64_t kDefaultAdmissionSeconds = 600;
inline constexpr double kDefaultOverAdmitFactor = 1.2;
// A round never makes up for more than this much time: after an outage of every server, admission
// resumes at its rate instead of with a burst of the whole gap.
inline constexpr std::int64_t kMaxAdmissionCatchUpMs = 1000;

// How many admissions have fallen due since the last round: `elapsedMs` (capped at
// kMaxAdmissionCatchUpMs) at `perSecond`, plus the fraction carried from the last round. The
// fraction of an admission not yet due is carried on, so the rate holds however rounds are spaced.
struct AdmissionsDue {
    std::int64_t whole = 0;
    double carry = 0;  // in [0, 1)
};
AdmissionsDue admissionsDue(std::int64_t elapsedMs, double perSecond, double carry);

// The most admissions that may be outstanding with `remaining` slots left: floor(remaining x factor)
// (100 left, factor 1.2: 120). None once nothing remains: the queue is closed.
std::int64_t admissionCap(std::int64_t remaining, double overAdmitFactor);

// Admit now: what fell due, but never past the cap and never more than are waiting.
std::int64_t admitNow(std::int64_t due, std::int64_t cap, std::int64_t outstanding, std::int64_t waiting);

// Retry-After (seconds) for a client with `ahead` people before it, while `perSecond` are admitted:
// half its expected wait, between 1 and kMaxPollSeconds. So the 2R people nearest the head poll once
// a second and everyone further back less often: a queue of N costs at most
// 2R x (1 + ln(kMaxPollSeconds)) + N / kMaxPollSeconds polls a second (R = 2000, N = 1,000,000:
// about 23,000 + 8,300 = 31,500/s, from the per-thread snapshot, no Redis).
inline constexpr std::int64_t kMaxPollSeconds = 120;
std::int64_t pollSeconds(std::int64_t ahead, double perSecond);

// The wait (seconds, rounded up) of a client with `ahead` people before it at `perSecond`.
std::int64_t estimatedWaitSeconds(std::int64_t ahead, double perSecond);

// The error of a wait estimate, as a fraction of it: (actual wait - estimate) / max(estimate, 1 s).
// 0: exact; 0.5: waited half as long again as told; -0.5: admitted in half the time told.
double waitEstimateError(std::int64_t waitedMs, std::int64_t estimateSeconds);

// The admission rate as measured: admissions counted over the last kWindowMs (at least one: with
// none, "slower than one per window" is what is known). nullopt until a second of history exists
// (then the configured rate serves). Record only once the queue is open.
class AdmissionRateMeter {
  public:
    static constexpr std::int64_t kWindowMs = 10'000;
    void record(std::int64_t atMs, std::int64_t admittedTotal);
    // Forget the history: when nobody waits, or admission is stopped by design, the rate of the
    // moment says nothing about the next admissions.
    void reset() { samples_.clear(); }
    [[nodiscard]] std::optional<double> perSecond() const;

  private:
    struct Sample {
        std::int64_t atMs;
        std::int64_t admittedTotal;
    };
    std::deque<Sample> samples_;
};

// The draw of the pre-queue: every person joining before opensAt gets a key uniform in [0, 1) and
// the draw orders them by it, so the order is a uniformly random permutation of the joiners.
double drawKey(std::mt19937_64& generator);

}  // namespace jkjav::domain
