#include "domain/contact_fields.hpp"

#include <gtest/gtest.h>

namespace jkjav::domain {
namespace {

struct PhoneCase {
    const char* input;
    const char* normalised;  // nullptr: refused
};

class PhoneNumberTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(PhoneNumberTest, NormalisesOrRefuses) {
    const auto result = parsePhoneNumber(GetParam().input);
    if (GetParam().normalised == nullptr) {
        EXPECT_TRUE(std::holds_alternative<Problem>(result)) << GetParam().input;
    } else {
        ASSERT_TRUE(std::holds_alternative<std::string>(result)) << GetParam().input;
        EXPECT_EQ(std::get<std::string>(result), GetParam().normalised);
    }
}

INSTANTIATE_TEST_SUITE_P(Table, PhoneNumberTest,
                         ::testing::Values(PhoneCase{"0123456789", "0123456789"},
                                           PhoneCase{"012-345 6789", "0123456789"},
                                           PhoneCase{"+60123456789", "+60123456789"},
                                           PhoneCase{"123456789", "123456789"},              // 9 digits
                                           PhoneCase{"123456789012345", "123456789012345"},  // 15
                                           PhoneCase{"12345678", nullptr},                   // 8
                                           PhoneCase{"1234567890123456", nullptr},           // 16
                                           PhoneCase{"60+123456789", nullptr},
                                           PhoneCase{"012345678x", nullptr}, PhoneCase{"", nullptr}));

struct TextCase {
    std::string input;
    std::size_t max;
    bool valid;
};

std::string repeat(const std::string& text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
}

class TextFieldTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(TextFieldTest, AcceptsAnyScriptRefusesControlAndBadUtf8) {
    const auto result = parseText(GetParam().input, GetParam().max);
    EXPECT_EQ(std::holds_alternative<std::string>(result), GetParam().valid) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Table, TextFieldTest,
    ::testing::Values(TextCase{"Siti Nurhaliza", 100, true}, TextCase{"陈美玲", 100, true},
                      TextCase{"முத்துசாமி", 100, true}, TextCase{"Zoë O'Brien-Ng", 100, true},
                      TextCase{std::string(100, 'a'), 100, true}, TextCase{std::string(101, 'a'), 100, false},
                      TextCase{repeat("陈", 100), 100, true},  // 100 characters, 300 bytes
                      TextCase{repeat("陈", 101), 100, false}, TextCase{"   ", 100, false},
                      TextCase{"", 100, false}, TextCase{"tab\there", 100, false},
                      TextCase{std::string("nul\0x", 5), 100, false}, TextCase{"\x7f", 100, false},
                      TextCase{"\xc2\x85", 100, false},      // C1 control (NEL)
                      TextCase{"\xff\xfe", 100, false},      // not UTF-8
                      TextCase{"\xc0\xaf", 100, false},      // overlong '/'
                      TextCase{"\xed\xa0\x80", 100, false},  // a surrogate
                      TextCase{"\xe9\x99", 100, false}));    // truncated sequence

TEST(TextField, TrimsSurroundingSpaces) {
    EXPECT_EQ(std::get<std::string>(parseText("  Ahmad  ", 100)), "Ahmad");
}

}  // namespace
}  // namespace jkjav::domain
