#include "crowd_report.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace jkjav::bench {

namespace json = boost::json;

double LatencyLog::percentileMs(double p) {
    if (samples_.empty()) return -1;
    if (!sorted_) std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples_.size())));
    return samples_[std::clamp<std::size_t>(rank, 1, samples_.size()) - 1] / 1000.0;
}

namespace {

double percentileOf(std::vector<double>& values, double p) {
    if (values.empty()) return -1;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double round3(double value) { return std::round(value * 1000) / 1000; }

}  // namespace

std::string report(const std::vector<Person>& crowd, CrowdFigures& figures) {
    std::int64_t fates[6] = {};
    std::int64_t joins = 0, polls = 0, bookings = 0;
    std::vector<double> estimateErrors;  // |actual - estimate| / estimate, people admitted
    std::vector<double> bookedAt;
    std::int64_t lastClosedSeenMs = -1;
    std::int64_t waitingAtSellOut = 0;
    for (const Person& person : crowd) {
        ++fates[static_cast<int>(person.fate)];
        joins += person.joins;
        polls += person.polls;
        bookings += person.bookings;
        if (person.admittedSeenAtMs >= 0 && person.joinedAtMs >= 0 && person.estimateAtJoin > 0) {
            const double actual = static_cast<double>(person.admittedSeenAtMs - person.joinedAtMs) / 1000.0;
            const auto estimate = static_cast<double>(person.estimateAtJoin);
            estimateErrors.push_back(std::abs(actual - estimate) / estimate);
        }
        if (person.fate == Fate::kBooked) bookedAt.push_back(static_cast<double>(person.endedAtMs));
        // Those in line when the last slot went: joined before it, neither told closed at joining nor
        // admitted (an admitted person who found no seat polls as its admission's Retry-After says).
        if (person.fate == Fate::kClosedSoldOut && figures.soldOutAtMs >= 0 && person.joinedAtMs >= 0 &&
            person.joinedAtMs < figures.soldOutAtMs && person.joinedState != 3 &&
            person.admittedSeenAtMs < 0) {
            ++waitingAtSellOut;
            lastClosedSeenMs = std::max(lastClosedSeenMs, person.endedAtMs);
        }
    }
    const auto people = static_cast<double>(std::max<std::size_t>(crowd.size(), 1));
    const std::int64_t booked = fates[static_cast<int>(Fate::kBooked)];
    const double soldOutSeconds =
        figures.soldOutAtMs >= 0 ? static_cast<double>(figures.soldOutAtMs - figures.opensAtMs) / 1000.0 : -1;
    const double closedSeconds = lastClosedSeenMs >= 0 && figures.soldOutAtMs >= 0
                                     ? static_cast<double>(lastClosedSeenMs - figures.soldOutAtMs) / 1000.0
                                     : -1;
    // Bookings per second in the middle of the selling (10th to 90th percentile of booking times):
    // the ramp at either end says more about the crowd's arrival than about the server.
    double bookingRate = -1;
    if (bookedAt.size() >= 20) {
        std::sort(bookedAt.begin(), bookedAt.end());
        const std::size_t low = bookedAt.size() / 10, high = bookedAt.size() * 9 / 10;
        const double span = (bookedAt[high] - bookedAt[low]) / 1000.0;
        if (span > 0) bookingRate = static_cast<double>(high - low) / span;
    }
    const double estimateMedian = percentileOf(estimateErrors, 50);
    const double estimateP90 = percentileOf(estimateErrors, 90);

    json::object out;
    out["people"] = crowd.size();
    out["slots"] = figures.slots;
    out["booked"] = booked;
    out["closedSoldOut"] = fates[static_cast<int>(Fate::kClosedSoldOut)];
    out["admissionEnded"] = fates[static_cast<int>(Fate::kAdmissionEnded)];
    out["refused"] = fates[static_cast<int>(Fate::kRefused)];
    out["gaveUp"] = fates[static_cast<int>(Fate::kGaveUp)];
    out["unfinished"] = fates[static_cast<int>(Fate::kPending)];
    out["slotsLeftAtEnd"] = figures.slotsLeftAtEnd;
    out["failedRequests"] = figures.failedRequests;
    out["soldOutSeconds"] = round3(soldOutSeconds);
    out["closedSeenSeconds"] = round3(closedSeconds);
    out["waitingAtSellOut"] = waitingAtSellOut;
    out["joinsPerPerson"] = round3(static_cast<double>(joins) / people);
    out["pollsPerPerson"] = round3(static_cast<double>(polls) / people);
    out["bookingsPerPerson"] = round3(static_cast<double>(bookings) / people);
    out["requestsPerPerson"] = round3(static_cast<double>(joins + polls + bookings) / people);
    out["pollP50Ms"] = round3(figures.polls.percentileMs(50));
    out["pollP99Ms"] = round3(figures.polls.percentileMs(99));
    out["bookingP50Ms"] = round3(figures.bookings.percentileMs(50));
    out["bookingP99Ms"] = round3(figures.bookings.percentileMs(99));
    out["pollLatenessP50Ms"] = round3(figures.pollLateness.percentileMs(50));
    out["pollLatenessP99Ms"] = round3(figures.pollLateness.percentileMs(99));
    out["pollLatenessAfterOpeningP99Ms"] = round3(figures.pollLatenessAfterOpening.percentileMs(99));
    out["earlyPolls"] = figures.earlyPolls;
    out["longestWaitingRetryAfter"] = figures.longestWaitingRetryAfter;
    out["waitingRetryAfterAtLeast60"] = figures.waitingRetryAfterAtLeast60;
    out["estimateErrorMedian"] = round3(estimateMedian);
    out["estimateErrorP90"] = round3(estimateP90);
    out["estimatesJudged"] = estimateErrors.size();
    out["bookingsPerSecond"] = std::round(bookingRate);
    out["elapsedSeconds"] = round3(figures.elapsedSeconds);

    std::printf("---- queue crowd: %zu people, %lld slots, %.1f s ----\n", crowd.size(),
                static_cast<long long>(figures.slots), figures.elapsedSeconds);
    std::printf(
        "fates: booked %lld, closed SOLD_OUT %lld, ADMISSION_ENDED %lld, refused %lld, gave up %lld, "
        "unfinished %lld; slots left at the end %lld\n",
        static_cast<long long>(booked), static_cast<long long>(fates[2]), static_cast<long long>(fates[3]),
        static_cast<long long>(fates[4]), static_cast<long long>(fates[5]), static_cast<long long>(fates[0]),
        static_cast<long long>(figures.slotsLeftAtEnd));
    std::printf(
        "opening to sold out %.3f s; sold out to the last waiting client told closed %.3f s (%lld waiting)\n",
        soldOutSeconds, closedSeconds, static_cast<long long>(waitingAtSellOut));
    std::printf("requests per person: %.3f joins + %.3f polls + %.3f bookings = %.3f\n",
                static_cast<double>(joins) / people, static_cast<double>(polls) / people,
                static_cast<double>(bookings) / people,
                static_cast<double>(joins + polls + bookings) / people);
    std::printf(
        "status polls p50 %.2f ms p99 %.2f ms (%zu); admitted bookings p50 %.2f ms p99 %.2f ms (%zu)\n",
        figures.polls.percentileMs(50), figures.polls.percentileMs(99), figures.polls.count(),
        figures.bookings.percentileMs(50), figures.bookings.percentileMs(99), figures.bookings.count());
    std::printf(
        "polls sent after Retry-After's moment by p50 %.2f ms p99 %.2f ms (due later than 1 s after "
        "opensAt: p99 %.2f ms); early %lld\n",
        figures.pollLateness.percentileMs(50), figures.pollLateness.percentileMs(99),
        figures.pollLatenessAfterOpening.percentileMs(99), static_cast<long long>(figures.earlyPolls));
    std::printf("Retry-After of `waiting` answers: at most %lld s; %lld answers said 60 s or more\n",
                static_cast<long long>(figures.longestWaitingRetryAfter),
                static_cast<long long>(figures.waitingRetryAfterAtLeast60));
    std::printf(
        "wait estimate at joining, |actual - estimate| / estimate: median %.3f p90 %.3f (%zu admitted)\n",
        estimateMedian, estimateP90, estimateErrors.size());
    std::printf("bookings/s (10th to 90th percentile of booking times): %.0f; failed requests %lld\n",
                bookingRate, static_cast<long long>(figures.failedRequests));
    std::string line = "QUEUE_CROWD_RESULT " + json::serialize(out);
    std::cout << line << std::endl;
    return line;
}

}  // namespace jkjav::bench
