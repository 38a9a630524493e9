#include "domain/contact_fields.hpp"

#include <gtest/gtest.h>

#include <string>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

using jkjav::testing::ByLabel;
using jkjav::testing::escaped;

std::string repeat(const std::string& text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
}

// ---------------------------------------------------------------- real names and addresses pass

struct AcceptedCase {
    std::string label;
    std::string input;
    std::string stored;  // what parseText keeps
};

void PrintTo(const AcceptedCase& c, std::ostream* os) {
    *os << c.label << ": " << escaped(c.input) << " kept as " << escaped(c.stored);
}

class AcceptedText : public ::testing::TestWithParam<AcceptedCase> {};

TEST_P(AcceptedText, IsKeptAsWritten) {
    const auto result = parseText(GetParam().input, 300);
    ASSERT_TRUE(std::holds_alternative<std::string>(result))
        << GetParam().input << ": " << std::get<Problem>(result).message;
    EXPECT_EQ(std::get<std::string>(result), GetParam().stored);
}

AcceptedCase same(std::string label, std::string text) { return {std::move(label), text, text}; }

INSTANTIATE_TEST_SUITE_P(
    MalaysianNames, AcceptedText,
    ::testing::Values(same("malay_bin", "Muhammad Ali bin Abu Bakar"),
                      same("malay_binti_apostrophe", "Siti Nur'Aisyah binti Ahmad"),
                      same("malay_at_alias", "Nik Nur Ain @ Aini"), same("malay_hyphen", "Ahmad Zaki-Hassan"),
                      same("malay_curly_apostrophe", "Ma\u2019arof bin Sa\u2019ad"),
                      same("chinese_romanised", "Tan Ah Kow"), same("chinese_hanzi", "陈伟明"),
                      same("chinese_mixed", "Lim Mei Ling (林美玲)"),
                      same("tamil_al", "Rajesh a/l Subramaniam"), same("tamil_ap", "Kavitha a/p Muthusamy"),
                      same("tamil_script", "முருகன் ராமசாமி"), same("sikh_so", "Karpal Singh s/o Ram Singh"),
                      same("gurmukhi", "ਕਰਪਾਲ ਸਿੰਘ"), same("jawi", "محمد علي بن أبو بكر"),
                      same("iban_anak", "Jelani anak Ngumbang"), same("accented", "Zoë O'Brien-Ng"),
                      same("one_letter", "A")),
    ByLabel());

INSTANTIATE_TEST_SUITE_P(
    Addresses, AcceptedText,
    ::testing::Values(same("petaling_jaya", "No. 12, Jalan SS2/24, 47300 Petaling Jaya, Selangor"),
                      same("kota_kinabalu", "Lot 1234, Kampung Baru, 88000 Kota Kinabalu, Sabah"),
                      same("chinese", "吉隆坡茨厂街12号"), same("tamil", "12, ஜாலான் துன் சம்பந்தன், கோலாலம்பூர்"),
                      same("unit_hash", "Unit #3-2, Blok A, Taman Melati")),
    ByLabel());

INSTANTIATE_TEST_SUITE_P(
    Spaces, AcceptedText,
    ::testing::Values(AcceptedCase{"ascii_trimmed", "  Ahmad  ", "Ahmad"},
                      AcceptedCase{"nbsp_trimmed", "\u00A0Ahmad\u00A0", "Ahmad"},
                      AcceptedCase{"ideographic_trimmed", "\u3000陈伟明\u3000", "陈伟明"},
                      AcceptedCase{"nbsp_inside_becomes_space", "Siti\u00A0Aminah", "Siti Aminah"},
                      AcceptedCase{"ideographic_inside_becomes_space", "陈\u3000伟明", "陈 伟明"},
                      AcceptedCase{"run_becomes_one_space", "Siti \u2003 \u202F Aminah", "Siti Aminah"}),
    ByLabel());

// ---------------------------------------------------------------- what is refused, and why

struct RefusedCase {
    std::string label;
    std::string input;
    std::size_t max;
    std::string message;  // a part of the problem's message
};

void PrintTo(const RefusedCase& c, std::ostream* os) {
    *os << c.label << ": " << escaped(c.input) << " (at most " << c.max << ") refused with \"" << c.message
        << "...\"";
}

class RefusedText : public ::testing::TestWithParam<RefusedCase> {};

TEST_P(RefusedText, NamesTheProblem) {
    const auto result = parseText(GetParam().input, GetParam().max);
    ASSERT_TRUE(std::holds_alternative<Problem>(result)) << "accepted: " << std::get<std::string>(result);
    EXPECT_NE(std::get<Problem>(result).message.find(GetParam().message), std::string::npos)
        << std::get<Problem>(result).message;
}

RefusedCase invisible(std::string label, std::string input, std::string codePoint) {
    return {std::move(label), std::move(input), 100,
            "invisible or formatting characters (found " + codePoint};
}

INSTANTIATE_TEST_SUITE_P(
    Invisible, RefusedText,
    ::testing::Values(
        invisible("rlo_override", "Ali\u202Ebakar", "U+202E"),
        invisible("lre_embedding", "\u202AAli", "U+202A"), invisible("pdf", "Ali\u202C", "U+202C"),
        invisible("lri_isolate", "Ali\u2066x", "U+2066"), invisible("pdi", "Ali\u2069", "U+2069"),
        invisible("lrm", "Ali\u200E", "U+200E"), invisible("rlm", "Ali\u200F", "U+200F"),
        invisible("arabic_letter_mark", "Ali\u061C", "U+061C"),
        invisible("zero_width_space", "Al\u200Bi", "U+200B"), invisible("zwnj", "Al\u200Ci", "U+200C"),
        invisible("zwj", "Al\u200Di", "U+200D"), invisible("word_joiner", "Al\u2060i", "U+2060"),
        invisible("bom", "\uFEFFAli", "U+FEFF"), invisible("line_separator", "Ali\u2028Baba", "U+2028"),
        invisible("paragraph_separator", "Ali\u2029Baba", "U+2029"),
        invisible("soft_hyphen", "Ali\u00ADBaba", "U+00AD"),
        invisible("tag_character", "Ali\U000E0041", "U+E0041"),
        invisible("hangul_filler", "Ali\u3164", "U+3164"),
        invisible("variation_selector", "Ali\uFE0F", "U+FE0F"),
        invisible("braille_blank", "Ali\u2800Baba", "U+2800"),
        invisible("only_zero_width", "\u200B\u200B", "U+200B")),
    ByLabel());

RefusedCase notACharacter(std::string label, std::string input, std::string codePoint) {
    return {std::move(label), std::move(input), 100,
            "private-use, unassigned or non-characters (found " + codePoint};
}

INSTANTIATE_TEST_SUITE_P(
    NotCharacters, RefusedText,
    ::testing::Values(notACharacter("noncharacter_fdd0", "Ali\uFDD0", "U+FDD0"),
                      notACharacter("noncharacter_fdef", "Ali\uFDEF", "U+FDEF"),
                      notACharacter("noncharacter_fffe", "Ali\xEF\xBF\xBE", "U+FFFE"),
                      notACharacter("noncharacter_1ffff", "Ali\xF0\x9F\xBF\xBF", "U+1FFFF"),
                      notACharacter("noncharacter_10ffff", "Ali\xF4\x8F\xBF\xBF", "U+10FFFF"),
                      notACharacter("private_use_bmp", "Ali\uE000", "U+E000"),
                      notACharacter("private_use_f8ff", "Ali\uF8FF", "U+F8FF"),
                      notACharacter("private_use_plane15", "Ali\U000F0000", "U+F0000"),
                      notACharacter("private_use_plane16", "Ali\U00100000", "U+100000"),
                      notACharacter("unassigned", "Ali\u0378", "U+0378")),
    ByLabel());

INSTANTIATE_TEST_SUITE_P(
    EmptyOrNoLetter, RefusedText,
    ::testing::Values(RefusedCase{"empty", "", 100, "is required"},
                      RefusedCase{"ascii_spaces", "   ", 100, "is required"},
                      RefusedCase{"nbsp_only", "\u00A0\u00A0", 100, "is required"},
                      RefusedCase{"ideographic_space_only", "\u3000", 100, "is required"},
                      RefusedCase{"mixed_spaces_only", " \u2003\u00A0\u3000 ", 100, "is required"},
                      RefusedCase{"digits_only", "12345", 100, "at least one letter"},
                      RefusedCase{"punctuation_only", "@ - '", 100, "at least one letter"},
                      RefusedCase{"emoji_only", "\U0001F600", 100, "at least one letter"}),
    ByLabel());

INSTANTIATE_TEST_SUITE_P(
    EncodingAndLength, RefusedText,
    ::testing::Values(RefusedCase{"tab", "tab\there", 100, "control characters"},
                      RefusedCase{"newline", "two\nlines", 100, "control characters"},
                      RefusedCase{"nul", std::string("nul\0x", 5), 100, "control characters"},
                      RefusedCase{"del", "\x7f", 100, "control characters"},
                      RefusedCase{"c1_nel", "Ali\xc2\x85", 100, "control characters"},
                      RefusedCase{"not_utf8", "\xff\xfe", 100, "valid UTF-8"},
                      RefusedCase{"overlong_slash", "\xc0\xaf", 100, "valid UTF-8"},
                      RefusedCase{"surrogate", "\xed\xa0\x80", 100, "valid UTF-8"},
                      RefusedCase{"truncated", "\xe9\x99", 100, "valid UTF-8"},
                      RefusedCase{"101_ascii", std::string(101, 'a'), 100, "at most 100 characters"},
                      RefusedCase{"101_hanzi", repeat("陈", 101), 100, "at most 100 characters"}),
    ByLabel());

TEST(TextField, CountsCodePointsNotBytes) {
    EXPECT_TRUE(std::holds_alternative<std::string>(parseText(repeat("陈", 100), 100)));  // 300 bytes
    EXPECT_TRUE(std::holds_alternative<std::string>(parseText(std::string(100, 'a'), 100)));
}

TEST(TextField, NeverEchoesTheRawCharacterInItsMessage) {
    const auto result = parseText("Ali\u202Ebakar", 100);
    const auto& message = std::get<Problem>(result).message;
    EXPECT_EQ(message.find("\u202E"), std::string::npos);
}

}  // namespace
}  // namespace jkjav::domain
