#include "domain/person_id.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

using jkjav::testing::caseName;
using jkjav::testing::escaped;

struct IdCase {
    const char* label;
    const char* input;
    const char* normalised;  // nullptr: refused
    IdKind kind;
};

void PrintTo(const IdCase& c, std::ostream* os) {
    *os << c.label << ": " << escaped(c.input) << " -> "
        << (c.normalised == nullptr
                ? std::string("refused")
                : std::string(c.normalised) + (c.kind == IdKind::kMyKad ? " (MyKad)" : " (other)"));
}

class PersonIdTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(PersonIdTest, NormalisesOrRefuses) {
    const auto& param = GetParam();
    const auto result = parsePersonId(param.input);
    if (param.normalised == nullptr) {
        EXPECT_TRUE(std::holds_alternative<Problem>(result))
            << param.input << " accepted as " << std::get<PersonId>(result).value;
        return;
    }
    ASSERT_TRUE(std::holds_alternative<PersonId>(result))
        << param.input << ": " << std::get<Problem>(result).message;
    EXPECT_EQ(std::get<PersonId>(result).value, param.normalised);
    EXPECT_EQ(std::get<PersonId>(result).kind, param.kind);
}

// The label and the input: `dashed_900127_01_5527`.
auto nameOf = [](const auto& info) {
    return caseName(std::string(info.param.label) + "_" + info.param.input);
};

INSTANTIATE_TEST_SUITE_P(
    MyKadIds, PersonIdTest,
    ::testing::Values(IdCase{"bare", "900127015527", "900127015527", IdKind::kMyKad},
                      IdCase{"dashed", "900127-01-5527", "900127015527", IdKind::kMyKad},
                      IdCase{"leap_day_2000", "000229-10-1234", "000229101234", IdKind::kMyKad},
                      IdCase{"no_leap_day_1901_2001", "010229101234", nullptr, IdKind::kMyKad},
                      IdCase{"month_13", "901327015527", nullptr, IdKind::kMyKad},
                      IdCase{"day_32", "900132015527", nullptr, IdKind::kMyKad},
                      IdCase{"dashes_elsewhere", "9001-2701-5527", nullptr, IdKind::kMyKad},
                      IdCase{"dashed_one_short", "900127-01-552", nullptr, IdKind::kMyKad},
                      IdCase{"extra_dash", "900127--01-5527", nullptr, IdKind::kMyKad}),
    nameOf);

// The holder of 900127015527 must not get a second booking by adding or dropping a character.
INSTANTIATE_TEST_SUITE_P(
    LookAlikeIds, PersonIdTest,
    ::testing::Values(IdCase{"one_digit_dropped", "90012701552", nullptr, IdKind::kOther},
                      IdCase{"one_digit_added", "9001270155271", nullptr, IdKind::kOther},
                      IdCase{"short_digits_only", "12345", nullptr, IdKind::kOther},
                      IdCase{"letter_appended", "900127015527A", nullptr, IdKind::kOther},
                      IdCase{"letter_prepended", "A900127015527", nullptr, IdKind::kOther},
                      IdCase{"letter_inside", "9001A27015527", nullptr, IdKind::kOther},
                      IdCase{"dashed_plus_letter", "900127-01-5527A", nullptr, IdKind::kOther},
                      IdCase{"digits_plus_suffix", "900127015527XY", nullptr, IdKind::kOther}),
    nameOf);

INSTANTIATE_TEST_SUITE_P(
    PassportIds, PersonIdTest,
    ::testing::Values(IdCase{"malaysian_passport", "A12345678", "A12345678", IdKind::kOther},
                      IdCase{"lower_case", "a1234b", "A1234B", IdKind::kOther},
                      IdCase{"eleven_digits_and_a_letter", "K12345678901", "K12345678901", IdKind::kOther},
                      IdCase{"letters_only", "ABCDEFGH", "ABCDEFGH", IdKind::kOther},
                      IdCase{"four_characters", "A123", nullptr, IdKind::kOther},
                      IdCase{"twenty_one_characters", "ABCDEFGHIJKLMNOPQRSTU", nullptr, IdKind::kOther},
                      IdCase{"space", "A1234 5678", nullptr, IdKind::kOther},
                      IdCase{"newline", "A1234\n5678", nullptr, IdKind::kOther},
                      IdCase{"non_ascii_letter", "ÄBCDEF", nullptr, IdKind::kOther},
                      IdCase{"fullwidth_digits", "A\uFF11\uFF12\uFF13\uFF14\uFF15", nullptr, IdKind::kOther},
                      IdCase{"empty", "", nullptr, IdKind::kOther}),
    nameOf);

TEST(PersonId, SaysHowAMyKadNumberIsWritten) {
    const auto result = parsePersonId("90012701552");
    EXPECT_NE(std::get<Problem>(result).message.find("12 digits"), std::string::npos);
}

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

struct TextCase {
    std::string label;
    std::string text;
    std::string masked;
};
void PrintTo(const TextCase& c, std::ostream* out) {
    *out << c.label << ": " << escaped(c.text) << " -> " << escaped(c.masked);
}

class MaskPersonalInText : public ::testing::TestWithParam<TextCase> {};

TEST_P(MaskPersonalInText, MasksEveryWordThatMayBePersonalData) {
    EXPECT_EQ(maskPersonalInText(GetParam().text), GetParam().masked);
}

INSTANTIATE_TEST_SUITE_P(
    Texts, MaskPersonalInText,
    ::testing::Values(TextCase{"Target", "GET /booking/900127015527?phoneNumber=0123456789",
                               "GET /booking/9001******27?phoneNumber=0123****89"},
                      TextCase{"E164", "phone +60123456789.", "phone +601******89."},
                      TextCase{"Dashed", "id 900127-01-5527 refused", "id 9001********27 refused"},
                      TextCase{"Passport", "A1234567B", "A******7B"},
                      TextCase{"ShortNumbersStay", "port 6379 of 16", "port 6379 of 16"},
                      TextCase{"NoDigits", "ERR unknown command", "ERR unknown command"},
                      TextCase{"Empty", "", ""}),
    jkjav::testing::ByLabel());

}  // namespace
}  // namespace jkjav::domain
