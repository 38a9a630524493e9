#include "domain/calendar_date.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

struct DateCase {
    const char* text;
    bool valid;
};

void PrintTo(const DateCase& c, std::ostream* os) {
    *os << jkjav::testing::escaped(c.text) << (c.valid ? " is a date" : " is refused");
}

class CompactDateTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(CompactDateTest, AcceptsOnlyRealDates) {
    const auto& param = GetParam();
    const auto parsed = parseCompactDate(param.text);
    EXPECT_EQ(parsed.has_value(), param.valid) << param.text;
    if (parsed) {
        EXPECT_EQ(parsed->compact(), param.text);
    }
}

INSTANTIATE_TEST_SUITE_P(
    CompactDates, CompactDateTest,
    ::testing::Values(DateCase{"20210516", true}, DateCase{"20240229", true}, DateCase{"20000229", true},
                      DateCase{"19000229", false}, DateCase{"20210229", false}, DateCase{"20211301", false},
                      DateCase{"20210001", false}, DateCase{"20210431", false}, DateCase{"20210100", false},
                      DateCase{"2021051", false}, DateCase{"202105161", false}, DateCase{"2021-05-16", false},
                      DateCase{"2021O516", false}, DateCase{"", false}, DateCase{"+2021051", false}),
    [](const auto& info) {
        return std::string(info.param.valid ? "Valid_" : "Refused_") +
               jkjav::testing::caseName(info.param.text);
    });

TEST(CalendarDate, DayNumbersRoundTripAcrossLeapYears) {
    for (long day = -800; day < 30000; day += 37) {
        const CalendarDate date = CalendarDate::fromDayNumber(day);
        EXPECT_TRUE(isValidDate(date.year, date.month, date.day));
        EXPECT_EQ(date.dayNumber(), day);
    }
    EXPECT_EQ((CalendarDate{2021, 2, 28}.plusDays(1)), (CalendarDate{2021, 3, 1}));
    EXPECT_EQ((CalendarDate{2024, 2, 28}.plusDays(1)), (CalendarDate{2024, 2, 29}));
    EXPECT_EQ((CalendarDate{1970, 1, 1}.dayNumber()), 0);
}

TEST(CalendarDate, FlexibleFormAcceptsIsoDashes) {
    EXPECT_EQ(parseFlexibleDate("2021-06-06"), (CalendarDate{2021, 6, 6}));
    EXPECT_EQ(parseFlexibleDate("20210606"), (CalendarDate{2021, 6, 6}));
    EXPECT_FALSE(parseFlexibleDate("2021-02-30"));
    EXPECT_FALSE(parseFlexibleDate("2021/06/06"));
    EXPECT_EQ((CalendarDate{2021, 6, 6}.iso()), "2021-06-06");
}

// compact() and iso() write their digits by hand: held to printf's "%04d%02d%02d" for every day of
// 1900 to 2100, the first and last valid years, and fields no valid date has (printf's rendering).
TEST(CalendarDate, TextFormsArePrintfsForEveryDayAndBeyond) {
    const auto printed = [](const CalendarDate& date, const char* format) {
        char buffer[48];
        std::snprintf(buffer, sizeof buffer, format, date.year, date.month, date.day);
        return std::string(buffer);
    };
    std::vector<CalendarDate> dates;
    for (long day = CalendarDate{1900, 1, 1}.dayNumber(); day <= CalendarDate{2100, 12, 31}.dayNumber();
         ++day)
        dates.push_back(CalendarDate::fromDayNumber(day));
    for (const CalendarDate extra :
         {CalendarDate{1, 1, 1}, CalendarDate{9999, 12, 31}, CalendarDate{10000, 1, 1},
          CalendarDate{-5, 3, 4}, CalendarDate{2021, 123, 7}, CalendarDate{2021, 6, -1}})
        dates.push_back(extra);
    int differences = 0;
    for (const CalendarDate& date : dates) {
        if (date.compact() != printed(date, "%04d%02d%02d")) ++differences;
        if (date.iso() != printed(date, "%04d-%02d-%02d")) ++differences;
    }
    EXPECT_EQ(differences, 0);
    EXPECT_EQ((CalendarDate{987, 6, 5}.compact()), "09870605");
}

}  // namespace
}  // namespace jkjav::domain
