// A civil calendar date and its compact YYYYMMDD text form, the date format of the whole API.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace jkjav::domain {

struct CalendarDate {
    int year = 1970;
    int month = 1;
    int day = 1;

    auto operator<=>(const CalendarDate&) const = default;

    // Days since 1970-01-01; the inverse of fromDayNumber.
    [[nodiscard]] long dayNumber() const;
    static CalendarDate fromDayNumber(long days);

    [[nodiscard]] CalendarDate plusDays(long days) const { return fromDayNumber(dayNumber() + days); }
    // "20210516"
    [[nodiscard]] std::string compact() const;
    // "2021-05-16"
    [[nodiscard]] std::string iso() const;
};

bool isLeapYear(int year);
int daysInMonth(int year, int month);
bool isValidDate(int year, int month, int day);

// Accepts exactly eight digits forming a real date ("20210229" is refused).
std::optional<CalendarDate> parseCompactDate(std::string_view text);
// Accepts "YYYYMMDD" or "YYYY-MM-DD": campaign files are written by people.
std::optional<CalendarDate> parseFlexibleDate(std::string_view text);

}  // namespace jkjav::domain
