#include "domain/calendar_date.hpp"

#include <cstdio>

namespace jkjav::domain {
namespace {

std::optional<int> digitsToInt(std::string_view text) {
    if (text.empty()) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// Digits written by hand: compact() names the slot of every booking, and snprintf was 5% of a
// booking's instructions in the server (callgrind). A field wider than its place (never a valid
// date) keeps printf's rendering.
std::string formatDate(const CalendarDate& date, bool dashes) {
    const auto [year, month, day] = date;
    if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
        char buffer[48];
        std::snprintf(buffer, sizeof buffer, dashes ? "%04d-%02d-%02d" : "%04d%02d%02d", year, month, day);
        return buffer;
    }
    std::string text(dashes ? 10 : 8, '-');
    char* out = text.data();
    const auto put = [&out](int value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
        out += width;
    };
    put(year, 4);
    if (dashes) ++out;
    put(month, 2);
    if (dashes) ++out;
    put(day, 2);
    return text;
}

}  // namespace

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

bool isValidDate(int year, int month, int day) {
    return year >= 1 && year <= 9999 && day >= 1 && day <= daysInMonth(year, month);
}

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
long CalendarDate::dayNumber() const {
    const long y = month <= 2 ? year - 1 : year;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CalendarDate CalendarDate::fromDayNumber(long days) {
    days += 719468;
    const long era = (days >= 0 ? days : days - 146096) / 146097;
    const long doe = days - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
    return {year, month, day};
}

std::string CalendarDate::compact() const { return formatDate(*this, false); }

std::string CalendarDate::iso() const { return formatDate(*this, true); }

std::optional<CalendarDate> parseCompactDate(std::string_view text) {
    if (text.size() != 8) return std::nullopt;
    const auto year = digitsToInt(text.substr(0, 4));
    const auto month = digitsToInt(text.substr(4, 2));
    const auto day = digitsToInt(text.substr(6, 2));
    if (!year || !month || !day || !isValidDate(*year, *month, *day)) return std::nullopt;
    return CalendarDate{*year, *month, *day};
}

std::optional<CalendarDate> parseFlexibleDate(std::string_view text) {
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
        std::string compact;
        compact.append(text.substr(0, 4)).append(text.substr(5, 2)).append(text.substr(8, 2));
        return parseCompactDate(compact);
    }
    return parseCompactDate(text);
}

}  // namespace jkjav::domain
