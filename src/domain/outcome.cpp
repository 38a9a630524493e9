#include "domain/outcome.hpp"

namespace jkjav::domain {

namespace {
// The table is ordered as the enum, so spellingOf is an index; checked once, at compile time.
constexpr bool tableFollowsEnum() {
    for (std::size_t i = 0; i < std::size(kOutcomes); ++i) {
        if (static_cast<std::size_t>(kOutcomes[i].outcome) != i) return false;
    }
    return std::size(kOutcomes) == static_cast<std::size_t>(Outcome::kStoreUnavailable) + 1;
}
static_assert(tableFollowsEnum(), "kOutcomes must list every Outcome once, in the enum's order");
}  // namespace

const OutcomeSpelling& spellingOf(Outcome outcome) { return kOutcomes[static_cast<std::size_t>(outcome)]; }

Outcome outcomeFromScript(std::string_view text) {
    if (text.empty()) return Outcome::kStoreUnavailable;
    for (const auto& spelling : kOutcomes) {
        if (spelling.scriptText == text) return spelling.outcome;
    }
    return Outcome::kStoreUnavailable;
}

bool isSuccess(Outcome outcome) { return spellingOf(outcome).httpStatus < 300; }

bool needsReplicaConfirmation(Outcome outcome) {
    switch (outcome) {
        case Outcome::kBooked:
        case Outcome::kAlreadyHeld:  // a repeat: the first answer may have been the unconfirmed one
        case Outcome::kWaitlisted:
        case Outcome::kCancelled:
            return true;
        default:
            return false;
    }
}

}  // namespace jkjav::domain
