// Which answers wait for replicas (REDIS_MIN_REPLICAS): those saying a change exists, never refusals.
#include "domain/outcome.hpp"

#include <gtest/gtest.h>

#include <ostream>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

struct ConfirmationCase {
    const char* label;
    Outcome outcome;
    bool needsReplicas;
};

// Printed by its label, so ctest names the case rather than its bytes.
void PrintTo(const ConfirmationCase& c, std::ostream* out) { *out << c.label; }

class ReplicaConfirmation : public ::testing::TestWithParam<ConfirmationCase> {};

TEST_P(ReplicaConfirmation, OnlyAnswersThatSayAChangeExistsWaitForReplicas) {
    EXPECT_EQ(needsReplicaConfirmation(GetParam().outcome), GetParam().needsReplicas);
}

INSTANTIATE_TEST_SUITE_P(Outcomes, ReplicaConfirmation,
                         ::testing::Values(ConfirmationCase{"booked", Outcome::kBooked, true},
                                           ConfirmationCase{"repeat", Outcome::kAlreadyHeld, true},
                                           ConfirmationCase{"waitlisted", Outcome::kWaitlisted, true},
                                           ConfirmationCase{"cancelled", Outcome::kCancelled, true},
                                           ConfirmationCase{"found", Outcome::kFound, false},
                                           ConfirmationCase{"full", Outcome::kFull, false},
                                           ConfirmationCase{"already_booked", Outcome::kAlreadyBooked, false},
                                           ConfirmationCase{"not_found", Outcome::kNotFound, false},
                                           ConfirmationCase{"unavailable", Outcome::kStoreUnavailable, false},
                                           ConfirmationCase{"unconfirmed", Outcome::kUnconfirmed, false}),
                         jkjav::testing::ByLabel());

TEST(UnconfirmedOutcome, IsA503WithRetryAfterAndItsOwnCode) {
    const auto& spelling = spellingOf(Outcome::kUnconfirmed);
    EXPECT_EQ(spelling.code, "UNCONFIRMED");
    EXPECT_EQ(spelling.httpStatus, 503);
    EXPECT_TRUE(spelling.retrySoon);
    EXPECT_FALSE(isSuccess(Outcome::kUnconfirmed));
}

}  // namespace
}  // namespace jkjav::domain
