#include "domain/person_id.hpp"

#include <algorithm>
#include <cctype>

namespace jkjav::domain {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiAlnum(char c) { return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
int twoDigits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

// YYMMDD is real if it is a date in either century: 000229 is 2000-02-29.
bool isRealYymmdd(int yy, int month, int day) {
    return isValidDate(1900 + yy, month, day) || isValidDate(2000 + yy, month, day);
}

}  // namespace

FieldResult<PersonId> parsePersonId(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    if (text.size() > 40) return Problem{"must be a MyKad number or an id of 5 to 20 letters and digits"};

    const bool hasDash = text.find('-') != std::string_view::npos;
    std::string digitsOnly;
    digitsOnly.reserve(text.size());
    bool onlyDigitsAndDashes = true;
    for (char c : text) {
        if (isDigit(c)) {
            digitsOnly.push_back(c);
        } else if (c != '-') {
            onlyDigitsAndDashes = false;
        }
    }

    if (onlyDigitsAndDashes && (hasDash || digitsOnly.size() == 12)) {
        if (digitsOnly.size() != 12) return Problem{"a MyKad number has 12 digits"};
        const int yy = twoDigits(std::string_view(digitsOnly).substr(0, 2));
        const int month = twoDigits(std::string_view(digitsOnly).substr(2, 2));
        const int day = twoDigits(std::string_view(digitsOnly).substr(4, 2));
        if (!isRealYymmdd(yy, month, day)) {
            return Problem{"a MyKad number starts with a real date of birth (YYMMDD)"};
        }
        return PersonId{std::move(digitsOnly), IdKind::kMyKad, yy, month, day};
    }

    if (text.size() < 5 || text.size() > 20 || !std::all_of(text.begin(), text.end(), isAsciiAlnum)) {
        return Problem{"must be a MyKad number or an id of 5 to 20 letters and digits"};
    }
    std::string upper(text);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return PersonId{std::move(upper), IdKind::kOther};
}

std::string maskPersonal(std::string_view value) {
    if (value.size() <= 4) return std::string(value.size(), '*');
    const std::size_t keepFront = value.size() >= 10 ? 4 : 1;
    const std::size_t keepBack = 2;
    std::string masked(value.substr(0, keepFront));
    masked.append(value.size() - keepFront - keepBack, '*');
    masked.append(value.substr(value.size() - keepBack));
    return masked;
}

}  // namespace jkjav::domain
