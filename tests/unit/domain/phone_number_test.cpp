#include "domain/phone_number.hpp"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <string>
#include <vector>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

using jkjav::testing::ByLabel;
using jkjav::testing::escaped;

struct PhoneCase {
    std::string label;
    std::string input;
    std::string normalised;  // empty: refused
};

void PrintTo(const PhoneCase& c, std::ostream* os) {
    *os << c.label << ": " << escaped(c.input) << " -> " << (c.normalised.empty() ? "refused" : c.normalised);
}

// An empty `normalised` means the input must be refused.
void expectNormalisedOrRefused(const std::variant<std::string, Problem>& result, const PhoneCase& phone) {
    if (phone.normalised.empty()) {
        EXPECT_TRUE(std::holds_alternative<Problem>(result))
            << "accepted as " << std::get<std::string>(result);
    } else {
        ASSERT_TRUE(std::holds_alternative<std::string>(result))
            << phone.input << ": " << std::get<Problem>(result).message;
        EXPECT_EQ(std::get<std::string>(result), phone.normalised);
    }
}

// ---------------------------------------------------------------- for a booking: valid mobiles only

class BookingPhone : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(BookingPhone, IsE164OrRefused) {
    expectNormalisedOrRefused(parsePhoneNumber(GetParam().input), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    OneNumberManyWritings, BookingPhone,
    ::testing::Values(PhoneCase{"national_dashed", "012-345 6789", "+60123456789"},
                      PhoneCase{"national_bare", "0123456789", "+60123456789"},
                      PhoneCase{"international_spaced", "+60 12-345 6789", "+60123456789"},
                      PhoneCase{"e164", "+60123456789", "+60123456789"},
                      PhoneCase{"country_code_without_plus", "60123456789", "+60123456789"},
                      PhoneCase{"brackets_and_dots", "(012) 345.6789", "+60123456789"},
                      PhoneCase{"plus_then_dash", "+6012-345 6789", "+60123456789"},
                      PhoneCase{"eleven_digit_011", "011-2223 3344", "+601122233344"},
                      PhoneCase{"celcom_019", "0199999999", "+60199999999"},
                      PhoneCase{"singapore_mobile", "+65 9123 4567", "+6591234567"},
                      PhoneCase{"uk_mobile", "+44 7911 123456", "+447911123456"},
                      PhoneCase{"us_either_kind", "+1 650 253 0000", "+16502530000"}),
    ByLabel());

INSTANTIATE_TEST_SUITE_P(
    Refused, BookingPhone,
    ::testing::Values(PhoneCase{"empty", "", ""}, PhoneCase{"too_short", "12", ""},
                      PhoneCase{"kl_landline", "03-2123 4567", ""},      // valid, but no SMS
                      PhoneCase{"toll_free", "1-800-88-1234", ""},       // not a mobile
                      PhoneCase{"mobile_too_short", "012-345 678", ""},  // 9 digits
                      PhoneCase{"mobile_too_long", "012-345 67890", ""},
                      PhoneCase{"plus_in_the_middle", "60+123456789", ""},
                      PhoneCase{"letter", "012345678x", ""}, PhoneCase{"vanity_letters", "1-800-FLOWERS", ""},
                      PhoneCase{"extension", "0123456789 ext. 12", ""},
                      PhoneCase{"fullwidth_digits",
                                "\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19", ""},
                      PhoneCase{"over_40_characters", std::string(41, '1'), ""},
                      PhoneCase{"unknown_country_code", "+999 123 456 789", ""}),
    ByLabel());

TEST(BookingPhone, SaysWhyALandlineIsRefused) {
    const auto result = parsePhoneNumber("03-2123 4567");
    EXPECT_NE(std::get<Problem>(result).message.find("mobile"), std::string::npos);
}

// ---------------------------------------------------------------- for a lookup: anything a booking may hold

class LookupPhone : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(LookupPhone, IsACredentialOrRefused) {
    expectNormalisedOrRefused(parsePhoneCredential(GetParam().input), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Credentials, LookupPhone,
    ::testing::Values(PhoneCase{"mobile_national", "012-345 6789", "+60123456789"},
                      PhoneCase{"mobile_international", "+60 12-345 6789", "+60123456789"},
                      PhoneCase{"landline_is_a_valid_number", "03-2123 4567", "+60321234567"},
                      // Numbers libphonenumber refuses may still be in bookings made before it
                      // was used: they are looked for as they were stored then.
                      PhoneCase{"legacy_invalid_digits", "123-456 789 012", "123456789012"},
                      PhoneCase{"legacy_invalid_plus", "+999 123 456 789", "+999123456789"},
                      PhoneCase{"legacy_needs_9_digits", "12345678", ""},
                      PhoneCase{"legacy_at_most_15_digits", "1234567890123456", ""},
                      PhoneCase{"letters", "012345678x", ""}, PhoneCase{"empty", "", ""}),
    ByLabel());

// ---------------------------------------------------------------- forms of a stored booking

struct FormsCase {
    std::string label;
    std::string credential;
    std::vector<std::string> forms;
};

void PrintTo(const FormsCase& c, std::ostream* os) {
    *os << c.label << ": " << c.credential << " stored as " << ::testing::PrintToString(c.forms);
}

class StoredForms : public ::testing::TestWithParam<FormsCase> {};

TEST_P(StoredForms, ListEveryFormTheNumberWasStoredIn) {
    EXPECT_EQ(storedPhoneForms(GetParam().credential), GetParam().forms);
}

INSTANTIATE_TEST_SUITE_P(
    Credentials, StoredForms,
    ::testing::Values(
        FormsCase{
            "malaysian_mobile", "+60123456789", {"+60123456789", "60123456789", "0123456789", "123456789"}},
        FormsCase{
            "malaysian_landline", "+60321234567", {"+60321234567", "60321234567", "0321234567", "321234567"}},
        FormsCase{"foreign_has_no_national_forms", "+6591234567", {"+6591234567", "6591234567"}},
        FormsCase{"legacy_matches_only_itself", "123456789012", {"123456789012"}},
        FormsCase{"legacy_plus_also_without_plus", "+999123456789", {"+999123456789", "999123456789"}}),
    ByLabel());

TEST(StoredForms, EveryWritingOfANumberGivesTheSameCredential) {
    // Booking with one writing and looking up with another finds the booking.
    for (const char* writing : {"012-345 6789", "0123456789", "+60 12-345 6789", "60123456789"}) {
        EXPECT_EQ(std::get<std::string>(parsePhoneCredential(writing)), "+60123456789") << writing;
        EXPECT_EQ(std::get<std::string>(parsePhoneNumber(writing)), "+60123456789") << writing;
    }
}

// parsePhoneNumber reads the common Malaysian shapes without libphonenumber's Parse; its verdict
// must be exactly the library's, for valid and invalid numbers alike.
std::string libraryVerdict(const std::string& text) {
    namespace pn = i18n::phonenumbers;
    const auto& util = *pn::PhoneNumberUtil::GetInstance();
    pn::PhoneNumber number;
    if (util.Parse(text, "MY", &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR ||
        !util.IsValidNumber(number))
        return "invalid";
    const auto type = util.GetNumberType(number);
    if (type != pn::PhoneNumberUtil::MOBILE && type != pn::PhoneNumberUtil::FIXED_LINE_OR_MOBILE)
        return "not mobile";
    std::string formatted;
    util.Format(number, pn::PhoneNumberUtil::E164, &formatted);
    return formatted;
}

std::string ourVerdict(const std::string& text) {
    const auto result = parsePhoneNumber(text);
    if (const auto* number = std::get_if<std::string>(&result)) return *number;
    return std::get<Problem>(result).message.find("mobile") != std::string::npos ? "not mobile" : "invalid";
}

TEST(BookingPhone, AgreesWithLibphonenumberOnRandomMalaysianShapes) {
    std::mt19937 random(20210526);  // fixed seed: a failure names its input and repeats
    const char* prefixes[] = {"0", "+60", "+60 ", "60", "00", "+600", "+6"};
    const char* separators[] = {"", "", "", "-", " ", ".", "(", ")"};
    int valid = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text = prefixes[random() % std::size(prefixes)];
        const int digits = 6 + static_cast<int>(random() % 8);
        for (int d = 0; d < digits; ++d) {
            // Mostly 1 (mobiles), some 3-9 (landlines and others), sometimes 0.
            const unsigned roll = random() % 10;
            text += d == 0 ? static_cast<char>('0' + (roll < 6 ? 1 : roll))
                           : static_cast<char>('0' + random() % 10);
            if (random() % 4 == 0) text += separators[random() % std::size(separators)];
        }
        const std::string expected = libraryVerdict(text);
        ASSERT_EQ(ourVerdict(text), expected) << "input: " << text;
        valid += expected.starts_with('+');
    }
    EXPECT_GT(valid, 500);  // the table covered valid numbers, not only rubbish
}

}  // namespace
}  // namespace jkjav::domain
