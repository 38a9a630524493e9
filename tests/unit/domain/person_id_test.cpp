#include "domain/person_id.hpp"

#include <gtest/gtest.h>

namespace jkjav::domain {
namespace {

struct IdCase {
    const char* input;
    const char* normalised;  // nullptr: refused
    IdKind kind;
};

class PersonIdTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(PersonIdTest, NormalisesOrRefuses) {
    const auto& param = GetParam();
    const auto result = parsePersonId(param.input);
    if (param.normalised == nullptr) {
        EXPECT_TRUE(std::holds_alternative<Problem>(result)) << param.input;
        return;
    }
    ASSERT_TRUE(std::holds_alternative<PersonId>(result))
        << param.input << ": " << std::get<Problem>(result).message;
    EXPECT_EQ(std::get<PersonId>(result).value, param.normalised);
    EXPECT_EQ(std::get<PersonId>(result).kind, param.kind);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PersonIdTest,
    ::testing::Values(IdCase{"900127015527", "900127015527", IdKind::kMyKad},
                      IdCase{"900127-01-5527", "900127015527", IdKind::kMyKad},
                      IdCase{"000229-10-1234", "000229101234", IdKind::kMyKad},  // 2000 was a leap year
                      IdCase{"010229101234", nullptr, IdKind::kMyKad},           // 1901 and 2001 were not
                      IdCase{"901327015527", nullptr, IdKind::kMyKad},           // month 13
                      IdCase{"900132015527", nullptr, IdKind::kMyKad},           // day 32
                      IdCase{"900127-01-552", nullptr, IdKind::kMyKad},          // 11 digits with dashes
                      IdCase{"A12345678", "A12345678", IdKind::kOther},
                      IdCase{"a1234b", "A1234B", IdKind::kOther},
                      IdCase{"12345", "12345", IdKind::kOther},  // short numeric id: not MyKad
                      IdCase{"1234", nullptr, IdKind::kOther},
                      IdCase{"ABCDEFGHIJKLMNOPQRSTU", nullptr, IdKind::kOther},  // 21 characters
                      IdCase{"A1234 5678", nullptr, IdKind::kOther},
                      IdCase{"A1234\n5678", nullptr, IdKind::kOther},
                      IdCase{"ÄBCDEF", nullptr, IdKind::kOther}, IdCase{"", nullptr, IdKind::kOther}));

TEST(PersonId, MyKadKeepsItsBirthDate) {
    const auto id = std::get<PersonId>(parsePersonId("580215-14-5678"));
    EXPECT_EQ(id.birthYy, 58);
    EXPECT_EQ(id.birthMonth, 2);
    EXPECT_EQ(id.birthDay, 15);
}

TEST(MaskPersonal, NeverShowsTheWholeValue) {
    EXPECT_EQ(maskPersonal("900127015527"), "9001******27");
    EXPECT_EQ(maskPersonal("0123456789"), "0123****89");
    EXPECT_EQ(maskPersonal("A12345"), "A***45");
    EXPECT_EQ(maskPersonal("1234"), "****");
}

}  // namespace
}  // namespace jkjav::domain
