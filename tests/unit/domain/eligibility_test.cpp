#include "domain/eligibility.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

PersonId myKad(const char* number) { return std::get<PersonId>(parsePersonId(number)); }

struct AgeCase {
    const char* myKad;
    const char* reference;  // YYYYMMDD
    int expectedAge;        // -1: no birth date can be on or before the reference
};

void PrintTo(const AgeCase& c, std::ostream* os) {
    *os << "MyKad " << c.myKad << " on " << c.reference << ": ";
    if (c.expectedAge < 0) {
        *os << "no birth date";
    } else {
        *os << "aged " << c.expectedAge;
    }
}

class AgeFromMyKad : public ::testing::TestWithParam<AgeCase> {};

TEST_P(AgeFromMyKad, DecidesTheCenturyAndCountsWholeYears) {
    const auto& param = GetParam();
    const CalendarDate reference = *parseCompactDate(param.reference);
    const auto birth = birthDateOf(myKad(param.myKad), reference);
    if (param.expectedAge < 0) {
        EXPECT_FALSE(birth.has_value()) << param.myKad;
        return;
    }
    ASSERT_TRUE(birth.has_value()) << param.myKad;
    EXPECT_EQ(ageOn(*birth, reference), param.expectedAge) << param.myKad << " on " << param.reference;
}

INSTANTIATE_TEST_SUITE_P(
    BirthDates, AgeFromMyKad,
    ::testing::Values(AgeCase{"610526015527", "20210526", 60},  // sixtieth birthday on the day
                      AgeCase{"610527015527", "20210526", 59},  // one day short
                      AgeCase{"210526015527", "20210526", 0},   // born that very day: 2021, not 1921
                      AgeCase{"210527015527", "20210526", 99},  // a day later can't be 2021: 1921
                      AgeCase{"220101015527", "20210526", 99},  // "22" with a 2021 reference is 1922
                      AgeCase{"000229015527", "20210526", 21},  // 2000 was a leap year
                      AgeCase{"000229015527", "20210228", 20},  // 29 Feb birthday: not yet on 28 Feb...
                      AgeCase{"000229015527", "20210301", 21},  // ...but on 1 March of a common year
                      AgeCase{"000229015527", "20240229", 24},
                      AgeCase{"040229015527", "20030101", 98},  // 2004-02-29 is after it: 1904-02-29
                      AgeCase{"991231015527", "20000101", 0},   // 1999-12-31: the century edge
                      AgeCase{"000101015527", "20000101", 0}),
    [](const auto& info) {
        return jkjav::testing::caseName(std::string("Born_") + std::string(info.param.myKad).substr(0, 6) +
                                        "_On_" + info.param.reference);
    });

TEST(AgeFromMyKad, CommonYearFebruary29thFallsBackACentury) {
    // 2001-02-29 does not exist, 1901-02-29 neither: no birth date.
    PersonId impossible{"010229015527", IdKind::kMyKad, 1, 2, 29};
    EXPECT_FALSE(birthDateOf(impossible, {2021, 5, 26}).has_value());
    // 1904-02-29 exists, 2004-02-29 is after the reference: 1904.
    EXPECT_EQ(birthDateOf(myKad("040229015527"), {2003, 1, 1}), (CalendarDate{1904, 2, 29}));
}

TEST(Eligibility, AgeRuleAndPassports) {
    const Eligibility seniors{60, {2021, 5, 26}, std::nullopt};
    EXPECT_EQ(judgeEligibility(seniors, myKad("580101015527")), EligibilityVerdict::kEligible);
    EXPECT_EQ(judgeEligibility(seniors, myKad("900127015527")), EligibilityVerdict::kTooYoung);
    const PersonId passport = std::get<PersonId>(parsePersonId("A12345678"));
    EXPECT_EQ(judgeEligibility(seniors, passport), EligibilityVerdict::kAgeUnprovable);
    EXPECT_EQ(judgeEligibility(Eligibility{60, {2021, 5, 26}, true}, passport),
              EligibilityVerdict::kEligible);
    EXPECT_EQ(judgeEligibility(std::nullopt, passport), EligibilityVerdict::kEligible);
    EXPECT_EQ(judgeEligibility(Eligibility{0, {2021, 5, 26}, std::nullopt}, passport),
              EligibilityVerdict::kEligible);
    EXPECT_EQ(judgeEligibility(Eligibility{0, {2021, 5, 26}, false}, passport),
              EligibilityVerdict::kAgeUnprovable);
}

}  // namespace
}  // namespace jkjav::domain
