#include "app/queue_service.hpp"

#include <algorithm>

#include "domain/eligibility.hpp"
#include "domain/person_id.hpp"

namespace jkjav::app {

using domain::Outcome;
using domain::QueueState;

namespace {

std::int64_t secondsUntil(std::int64_t fromMs, std::int64_t toMs) {
    return toMs <= fromMs ? 0 : (toMs - fromMs + 999) / 1000;
}

QueueRefused refusal(Outcome outcome, std::int64_t retryAfter = 0) {
    return QueueRefused{outcome, std::string(domain::spellingOf(outcome).message), {}, retryAfter};
}

class NoQueueObserver final : public QueueObserver {
  public:
    void joinDecided(Outcome) override {}
    void firstAdmitted(double) override {}
};

}  // namespace

QueueObserver& noQueueObserver() {
    static NoQueueObserver none;
    return none;
}

std::variant<std::string, Outcome> queuePassFor(const QueueTickets& tickets,
                                                std::optional<std::string_view> ticket,
                                                std::string_view personId) {
    if (!ticket || ticket->empty()) return Outcome::kQueueRequired;
    auto read = tickets.read(*ticket);
    if (!read) return Outcome::kInvalidTicket;
    // Another person's ticket is genuine but not a pass for this booking.
    if (read->member != tickets.memberOf(personId)) return Outcome::kQueueRequired;
    return std::move(read->member);
}

QueueService::QueueService(const domain::Campaign& campaign, const domain::QueueSettings& settings,
                           QueueStore& store, const QueueTickets& tickets, const Clock& clock,
                           const QueueSnapshotSlot& snapshots, std::uint64_t drawSeed,
                           QueueObserver& observer)
    : campaign_(campaign),
      settings_(settings),
      store_(store),
      tickets_(tickets),
      clock_(clock),
      snapshots_(snapshots),
      draw_(drawSeed),
      observer_(observer) {}

std::int64_t QueueService::sellOutSeconds(const QueueFigures& figures, double admissionRate) const {
    const auto& snapshot = snapshots_.shared();
    const double taken = snapshot ? snapshot->slotsTakenPerSecond : 0;
    return domain::secondsToSellOut(figures.remaining, std::max(taken, admissionRate));
}

double QueueService::admissionRate() const {
    const auto& snapshot = snapshots_.shared();
    return snapshot && snapshot->admitPerSecond > 0 ? snapshot->admitPerSecond : settings_.admitPerSecond;
}

boost::asio::awaitable<QueueOutcome> QueueService::join(std::string_view personId) {
    QueueOutcome decided = co_await decideJoin(personId);
    const auto* refused = std::get_if<QueueRefused>(&decided);
    observer_.joinDecided(refused != nullptr ? refused->outcome : Outcome::kFound);
    co_return decided;
}

boost::asio::awaitable<QueueOutcome> QueueService::decideJoin(std::string_view personIdText) {
    auto parsed = domain::parsePersonId(personIdText);
    if (auto* problem = std::get_if<domain::Problem>(&parsed)) {
        co_return QueueRefused{
            Outcome::kInvalidRequest, "Invalid request.", {{"mysejahteraId", problem->message}}};
    }
    const auto& person = std::get<domain::PersonId>(parsed);
    // The booking's own rule, judged now: an ineligible person learns it before the wait, not after.
    switch (domain::judgeEligibility(campaign_.eligibility(), person)) {
        case domain::EligibilityVerdict::kEligible:
            break;
        case domain::EligibilityVerdict::kTooYoung:
            co_return QueueRefused{Outcome::kNotEligible,
                                   "This campaign is for people aged " +
                                       std::to_string(campaign_.eligibility()->minAgeYears) + " and over.",
                                   {}};
        case domain::EligibilityVerdict::kAgeUnprovable:
            co_return QueueRefused{Outcome::kNotEligible,
                                   "This campaign needs a MyKad number: other ids carry no date of birth.",
                                   {}};
    }

    const std::string member = tickets_.memberOf(person.value);
    const QueueJoinResult joined = co_await store_.join(member, person.value, domain::drawKey(draw_));
    switch (joined.outcome) {
        case Outcome::kFound:
            break;
        case Outcome::kAlreadyBooked:
            co_return QueueRefused{
                Outcome::kAlreadyBooked,
                "This person already holds a booking: see it with GET /booking/{mysejahteraId}.",
                {}};
        case Outcome::kQueueNotOpen:
            co_return refusal(
                Outcome::kQueueNotOpen,
                std::max<std::int64_t>(1, secondsUntil(joined.figures.nowMs, settings_.preQueueOpensAtMs)));
        case Outcome::kNotSeeded:
            co_return refusal(Outcome::kNotSeeded, 1);
        default:
            co_return refusal(Outcome::kStoreUnavailable, 1);
    }
    domain::QueueTicket ticket{.member = member, .rank = joined.place.rank};
    QueueAnswer out = answer(ticket, &joined.place, joined.figures, joined.figures.nowMs);
    // The first join's time and estimate go into the ticket (kept by the store, so joining again
    // gives the same ticket). Without the store's answer the place still stands: this join's own.
    const QueueJoinRecord record =
        co_await store_.recordJoin(member, joined.figures.nowMs, out.estimatedWaitSeconds);
    ticket.joinedAtMs = record.answered ? record.joinedAtMs : joined.figures.nowMs;
    ticket.estimateSeconds = record.answered ? record.estimateSeconds : out.estimatedWaitSeconds;
    out.ticket = tickets_.issue(ticket);
    co_return out;
}

void QueueService::noteFirstAdmission(domain::QueueTicket& ticket, const QueuePlace& place,
                                      QueueAnswer& answer) const {
    if (answer.state != QueueState::kAdmitted || ticket.admissionSeen) return;
    // The wait as it was: from joining to the admission (its start is its expiry less its length),
    // not to this poll, which came up to Retry-After seconds later.
    if (ticket.joinedAtMs >= 0 && ticket.estimateSeconds >= 0) {
        const std::int64_t admittedAtMs = place.admissionExpiresAtMs - settings_.admissionSeconds * 1000;
        observer_.firstAdmitted(
            domain::waitEstimateError(admittedAtMs - ticket.joinedAtMs, ticket.estimateSeconds));
    }
    // Marked in the ticket handed back, so this ticket's next answers are not counted again.
    ticket.admissionSeen = true;
    answer.ticket = tickets_.issue(ticket);
}

boost::asio::awaitable<QueueOutcome> QueueService::status(std::string_view ticketText) {
    auto ticket = tickets_.read(ticketText);
    if (!ticket) co_return refusal(Outcome::kInvalidTicket);
    const std::int64_t signedRank = ticket->rank;  // what the ticket as sent carries
    const auto& snapshot = snapshots_.shared();
    const std::int64_t localNowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
    if (snapshot) {
        std::string_view unchanged = ticketText;
        bool beforeDraw = ticket->rank < 0 && localNowMs < settings_.opensAtMs;
        if (ticket->rank < 0 && !beforeDraw) {
            // Drawn at opensAt: the place comes from the published draw, and the ticket is signed
            // again to carry it (once per person; afterwards their ticket has it).
            if (snapshot->draw) {
                if (auto rank = snapshot->draw->rankOf(ticket->member)) {
                    ticket->rank = *rank;
                    unchanged = {};
                }
            } else if (snapshot->figures.preQueued > 0 &&
                       localNowMs < settings_.opensAtMs + kDrawPublishGraceMs) {
                beforeDraw = true;  // the ticker is reading the draw: back in a second, not to Redis
            }
        }
        const bool waiting = ticket->rank >= snapshot->figures.admittedUpTo;
        if (beforeDraw || waiting) {
            // The common case, answered from this thread's snapshot: no store round trip.
            const auto age = std::chrono::steady_clock::now() - snapshot->takenAt;
            const std::int64_t nowMs =
                snapshot->figures.nowMs + std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
            co_return answer(std::move(*ticket), nullptr, snapshot->figures, nowMs, unchanged);
        }
    }
    // For the few at the head (their admission), and a pre-queue ticket the published draw does not
    // hold: the store.
    const QueuePlaceResult found = co_await store_.place(ticket->member);
    if (!found.answered) co_return refusal(Outcome::kStoreUnavailable, 1);
    if (found.place.rank < 0 && found.figures.nowMs >= settings_.opensAtMs) {
        // Signed by us, but the queue no longer knows it (its store was emptied): join again.
        co_return refusal(Outcome::kInvalidTicket);
    }
    const bool refreshed = signedRank != found.place.rank;
    ticket->rank = found.place.rank;
    QueueAnswer out = answer(*ticket, &found.place, found.figures, found.figures.nowMs,
                             refreshed ? std::string_view() : ticketText);
    noteFirstAdmission(*ticket, found.place, out);
    co_return out;
}

QueueAnswer QueueService::answer(domain::QueueTicket ticket, const QueuePlace* place,
                                 const QueueFigures& figures, std::int64_t nowMs,
                                 std::string_view unchangedTicket) const {
    const double rate = admissionRate();
    QueueAnswer out;
    if (ticket.rank < 0) {
        // In the draw: everyone who joined before opensAt is ordered at random then, so the expected
        // wait is that of the middle of the draw.
        const std::int64_t untilOpen = secondsUntil(nowMs, settings_.opensAtMs);
        const std::int64_t others = std::max<std::int64_t>(0, figures.preQueued - 1);
        out.state = QueueState::kPrequeue;
        out.ahead = others;
        out.estimatedWaitSeconds = untilOpen + domain::estimatedWaitSeconds(others / 2 + 1, rate);
        // A second after opensAt, not at it: the ticker publishes the draw in its first round after
        // opensAt, and a ticket asking before that only hears "again in a second" (twice the
        // opening burst for nothing).
        const std::int64_t afterDraw = untilOpen > 0 ? untilOpen + kDrawPublishSeconds : 1;
        out.retryAfterSeconds = std::clamp<std::int64_t>(afterDraw, 1, domain::kMaxPollSeconds);
    } else if (figures.remaining <= 0) {
        out.state = QueueState::kClosed;
        out.reason = kSoldOut;
        out.waitlist = settings_.offerWaitlist;
        out.retryAfterSeconds = kClosedPollSeconds;
    } else if (ticket.rank >= figures.admittedUpTo) {
        out.state = QueueState::kWaiting;
        out.ahead = ticket.rank - figures.admittedUpTo;
        out.estimatedWaitSeconds = domain::estimatedWaitSeconds(out.ahead + 1, rate);
        out.retryAfterSeconds = domain::pollSeconds(out.ahead, rate, sellOutSeconds(figures, rate));
    } else if (place != nullptr && place->admissionExpiresAtMs > nowMs) {
        out.state = QueueState::kAdmitted;
        out.retryAfterSeconds =
            std::clamp<std::int64_t>(secondsUntil(nowMs, place->admissionExpiresAtMs), 1, kClosedPollSeconds);
    } else {
        out.state = QueueState::kClosed;
        out.reason = kAdmissionEnded;
        out.retryAfterSeconds = kEndedPollSeconds;
    }
    // The ticket as it came when nothing in it changed: signing again would give the same bytes.
    out.ticket = unchangedTicket.empty() ? tickets_.issue(ticket) : std::string(unchangedTicket);
    return out;
}

}  // namespace jkjav::app
