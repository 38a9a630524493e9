#include "domain/person_id.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace jkjav::domain {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiAlnum(char c) { return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
int twoDigits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

// YYMMDD is real if it is a date in either century: 000229 is 2000-02-29.
bool isRealYymmdd(int yy, int month, int day) {
    return isValidDate(1900 + yy, month, day) || isValidDate(2000 + yy, month, day);
}

constexpr long kMyKadDigits = 12;

// 900127015527 or 900127-01-5527 (YYMMDD-PB-###G); any other run of digits and dashes is refused,
// so a digit dropped or added never turns a MyKad number into some other id.
FieldResult<PersonId> parseMyKad(std::string_view text) {
    const bool plain = text.size() == 12 && text.find('-') == std::string_view::npos;
    const bool dashed = text.size() == 14 && text[6] == '-' && text[9] == '-' &&
                        std::count(text.begin(), text.end(), '-') == 2;
    if (!plain && !dashed)
        return Problem{"a MyKad number has 12 digits, written 900127015527 or 900127-01-5527"};
    std::string digits;
    std::copy_if(text.begin(), text.end(), std::back_inserter(digits), isDigit);
    const int yy = twoDigits(std::string_view(digits).substr(0, 2));
    const int month = twoDigits(std::string_view(digits).substr(2, 2));
    const int day = twoDigits(std::string_view(digits).substr(4, 2));
    if (!isRealYymmdd(yy, month, day))
        return Problem{"a MyKad number starts with a real date of birth (YYMMDD)"};
    return PersonId{std::move(digits), IdKind::kMyKad, yy, month, day};
}

}  // namespace

FieldResult<PersonId> parsePersonId(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    const bool onlyDigitsAndDashes =
        std::all_of(text.begin(), text.end(), [](char c) { return isDigit(c) || c == '-'; });
    if (onlyDigitsAndDashes) return parseMyKad(text);

    if (text.size() < 5 || text.size() > 20 || !std::all_of(text.begin(), text.end(), isAsciiAlnum)) {
        return Problem{"must be a MyKad number or a passport-type id of 5 to 20 letters and digits"};
    }
    // A passport-type id has a letter (else it would be digits only, read as MyKad above). One with
    // twelve digits carries a whole MyKad number, so a MyKad holder could book again as
    // 900127015527A or A900127015527; real passport numbers have far fewer digits.
    if (std::count_if(text.begin(), text.end(), isDigit) >= kMyKadDigits) {
        return Problem{"a passport-type id has at most 11 digits; a MyKad number is written alone"};
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

std::string maskPersonalInText(std::string_view text) {
    constexpr long kDigitsOfPersonalData = 5;  // the fewest digits a passport-type id may hold
    auto inWord = [](char c) { return isAsciiAlnum(c) || c == '+' || c == '-'; };
    std::string masked;
    masked.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!inWord(text[i])) {
            masked.push_back(text[i++]);
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && inWord(text[i])) ++i;
        const std::string_view word = text.substr(start, i - start);
        if (std::count_if(word.begin(), word.end(), isDigit) >= kDigitsOfPersonalData) {
            masked.append(maskPersonal(word));
        } else {
            masked.append(word);
        }
    }
    return masked;
}

}  // namespace jkjav::domain
