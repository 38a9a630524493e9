// The waiting room's arithmetic, pure: the admission cap as operators read it, how often a waiting
// client polls, how long its wait is, and the measured admission rate. The admission round itself
// is admit.lua's, atomic inside Redis.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <random>

namespace jkjav::domain {

// A campaign's `queue` section (docs/waiting-room.md); times are Unix milliseconds.
struct QueueSettings {
    std::int64_t opensAtMs = 0;
    std::int64_t preQueueOpensAtMs = 0;  // default: opensAt - kDefaultPreQueueLead
    double admitPerSecond = 0;           // default: kDefaultAdmitPerSecond
    std::int64_t admissionSeconds = 0;   // default: kDefaultAdmissionSeconds
    double overAdmitFactor = 0;          // default: kDefaultOverAdmitFactor
    bool offerWaitlist = true;           // closed SOLD_OUT: the line may join the slots' waitlists
};

inline constexpr std::int64_t kDefaultPreQueueLeadMs = 60 * 60 * 1000;  // one hour before opensAt
// The booking rate one server sustains with low latency (bench/README.md, "Measured", the flash
// crowd: 32,418 bookings/s with p99 4 ms on 2 cores), rounded down. The cap, not the rate, then
// decides how many hold an admission: with 20,000 slots at most 24,000.
inline constexpr double kDefaultAdmitPerSecond = 30000;
inline constexpr std::int64_t kDefaultAdmissionSeconds = 600;
inline constexpr double kDefaultOverAdmitFactor = 1.2;
// A round never makes up for more than this much time: after an outage of every server, admission
// resumes at its rate instead of with a burst of the whole gap.
inline constexpr std::int64_t kMaxAdmissionCatchUpMs = 1000;

// The most admissions that may be outstanding with `remaining` slots left, as admit.lua decides it:
// floor(remaining x factor) (100 left, factor 1.2: 120); none once nothing remains. admit.lua does
// the admission sums itself, atomically (tests/adapters/queue_store_test.cpp holds it to a table of
// cases); this is the cap as operators and tests read it.
std::int64_t admissionCap(std::int64_t remaining, double overAdmitFactor);

// How soon the queue could close (seconds, rounded down): the slots left at `drainPerSecond`, the
// faster of the measured rate at which slots are taken and the rate at which admissions are given.
// 0 when nothing remains; kNeverSellsOutSeconds when nothing drains.
inline constexpr std::int64_t kNeverSellsOutSeconds = 1'000'000'000;
std::int64_t secondsToSellOut(std::int64_t remaining, double drainPerSecond);

// Retry-After (seconds) for a client with `ahead` people before it, while `perSecond` are admitted
// and the queue could close in `sellOutSeconds`: half its expected wait, but never more than half
// the time until the queue could close, between 1 and kMaxPollSeconds. So the 2R people nearest
// the head poll once a second, everyone further back less often, and when little remains everyone
// polls every 1-2 s, so that a sell-out reaches every waiting client within two seconds.
// Far from sell-out (T = sellOutSeconds >= 2 x kMaxPollSeconds) a queue of N costs at most
// 2R x (1 + ln(kMaxPollSeconds)) + N / kMaxPollSeconds polls a second (R = 2000, N = 1,000,000:
// about 23,000 + 8,300 = 31,500/s, from the per-thread snapshot, no Redis); closer to it the last
// term becomes N / max(1, T / 2): the price of telling everyone within 2 s.
inline constexpr std::int64_t kMaxPollSeconds = 120;
std::int64_t pollSeconds(std::int64_t ahead, double perSecond, std::int64_t sellOutSeconds);

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
