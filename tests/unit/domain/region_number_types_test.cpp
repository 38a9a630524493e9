#include "domain/region_number_types.hpp"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <string>
#include <thread>

namespace jkjav::domain {
namespace {

namespace pn = i18n::phonenumbers;

pn::PhoneNumberUtil::PhoneNumberType libraryType(int countryCode, const std::string& national) {
    pn::PhoneNumber number;
    number.set_country_code(countryCode);
    number.set_national_number(std::stoull(national));
    return pn::PhoneNumberUtil::GetInstance()->GetNumberType(number);
}

struct RegionCase {
    std::string region;
    int countryCode;
};
void PrintTo(const RegionCase& c, std::ostream* out) {
    *out << c.region << " (country code " << c.countryCode << ")";
}

class RegionNumberTypesAgree : public ::testing::TestWithParam<RegionCase> {};

// The oracle is libphonenumber itself: every national number tried gets GetNumberType's answer,
// over every length from 1 to 13 digits and prefixes weighted towards the region's real ranges.
TEST_P(RegionNumberTypesAgree, WithGetNumberType) {
    const auto types = RegionNumberTypes::load(GetParam().region);
    ASSERT_TRUE(types.has_value()) << "no metadata for " << GetParam().region;
    std::mt19937 random(20210526);  // fixed seed: a failure names its input and repeats
    int mobiles = 0, others = 0;
    for (int i = 0; i < 60000; ++i) {
        const int length = 1 + static_cast<int>(random() % 13);
        std::string national(1, static_cast<char>('1' + random() % 9));
        while (static_cast<int>(national.size()) < length) national += static_cast<char>('0' + random() % 10);
        const auto expected = libraryType(GetParam().countryCode, national);
        ASSERT_EQ(types->typeOf(national), expected) << GetParam().region << " national number " << national;
        (expected == pn::PhoneNumberUtil::MOBILE ? mobiles : others) +=
            expected != pn::PhoneNumberUtil::UNKNOWN;
    }
    // The draw reached the types that matter, not only invalid numbers.
    EXPECT_GT(mobiles, 100);
    EXPECT_GT(others, 100);
}

INSTANTIATE_TEST_SUITE_P(Regions, RegionNumberTypesAgree,
                         ::testing::Values(RegionCase{"MY", 60}, RegionCase{"SG", 65}, RegionCase{"TH", 66}),
                         [](const auto& info) { return info.param.region; });

TEST(RegionNumberTypes, KnowsNoMadeUpRegion) { EXPECT_FALSE(RegionNumberTypes::load("ZZ").has_value()); }

// GetNumberType may read GG's, IM's or JE's metadata for a +44 number: GB's alone can't answer.
TEST(RegionNumberTypes, RefusesARegionThatSharesItsCallingCode) {
    EXPECT_FALSE(RegionNumberTypes::load("GB").has_value());
}

// Each thread matches with matchers of its own; another thread's answers are the same.
TEST(RegionNumberTypes, AnswersTheSameOnAnotherThread) {
    const auto types = RegionNumberTypes::load("MY");
    ASSERT_TRUE(types.has_value());
    pn::PhoneNumberUtil::PhoneNumberType there = pn::PhoneNumberUtil::UNKNOWN;
    std::thread([&] { there = types->typeOf("123456789"); }).join();
    EXPECT_EQ(there, pn::PhoneNumberUtil::MOBILE);
    EXPECT_EQ(types->typeOf("123456789"), pn::PhoneNumberUtil::MOBILE);
    EXPECT_EQ(types->typeOf("321234567"), pn::PhoneNumberUtil::FIXED_LINE);
}

}  // namespace
}  // namespace jkjav::domain
