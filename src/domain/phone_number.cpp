#include "domain/phone_number.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <iterator>
#include <optional>

#include "domain/region_number_types.hpp"

namespace jkjav::domain {
namespace {

namespace pn = i18n::phonenumbers;
using Type = pn::PhoneNumberUtil::PhoneNumberType;

constexpr std::size_t kMaxInputLength = 40;  // far above any real number, well below libphonenumber's 250
constexpr const char* kDefaultRegion = "MY";
constexpr int kMalaysia = 60;
constexpr std::string_view kMalaysiaPrefix = "+60";
constexpr std::size_t kMaxNationalDigits = 12;  // Malaysian national numbers have 8 to 10

// libphonenumber keeps one instance per process (thread-safe, built on first use, never freed).
const pn::PhoneNumberUtil& phoneUtil() {
    static const pn::PhoneNumberUtil& util = *pn::PhoneNumberUtil::GetInstance();
    return util;
}

// Malaysian numbers' types told once per process from libphonenumber's own metadata; null if that
// can't be read, and then GetNumberType tells them as it does other countries' numbers.
const RegionNumberTypes* malaysianTypes() {
    static const std::optional<RegionNumberTypes> types = RegionNumberTypes::load(kDefaultRegion);
    return types ? &*types : nullptr;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// libphonenumber also reads letters ("1-800-FLOWERS"), extensions and full-width digits; a number
// for SMS needs none of them, and refusing them keeps the error message simple.
bool hasOnlyPhoneCharacters(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool separator = c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
        if (!isDigit(c) && !separator && !(c == '+' && i == 0)) return false;
    }
    return true;
}

std::string digitsOf(std::string_view text) {
    std::string digits;
    std::copy_if(text.begin(), text.end(), std::back_inserter(digits), isDigit);
    return digits;
}

// The shapes nearly every booking has, 0XX-XXX XXXX and +60 XX-XXX XXXX, read without Parse: its
// regular expressions cost about 7 us a number, five times the rest. What Parse would add for them
// is stripping the trunk 0 (done here) and keeping it when the rest can't be a number (then it is
// no valid Malaysian number either way, as none starts with 0). Anything else goes to Parse.
std::optional<pn::PhoneNumber> readMalaysianShape(std::string_view text) {
    const std::string digits = digitsOf(text);
    std::string_view national;
    if (text.starts_with('+') && digits.starts_with("60")) {
        national = std::string_view(digits).substr(2);
    } else if (!text.starts_with('+') && digits.starts_with('0')) {
        national = std::string_view(digits).substr(1);
    } else {
        return std::nullopt;
    }
    if (national.empty() || national.size() > kMaxNationalDigits || national.starts_with('0'))
        return std::nullopt;
    pn::PhoneNumber number;
    number.set_country_code(kMalaysia);
    number.set_national_number(std::stoull(std::string(national)));
    return number;
}

struct ValidNumber {
    pn::PhoneNumber number;
    Type type;
};

// A valid number (any type), or the problem to report.
FieldResult<ValidNumber> parseValid(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    if (text.size() > kMaxInputLength || !hasOnlyPhoneCharacters(text))
        return Problem{"may hold only digits, a leading '+', spaces, dashes, dots and brackets"};
    auto number = readMalaysianShape(text);
    Type type = pn::PhoneNumberUtil::UNKNOWN;
    // GetNumberType is UNKNOWN exactly when IsValidNumber is false: one lookup gives both.
    if (number && malaysianTypes()) {
        // The national significant number of a +60 number without leading zeros: its digits.
        type = malaysianTypes()->typeOf(std::to_string(number->national_number()));
    } else {
        if (!number) {
            number.emplace();
            if (phoneUtil().Parse(std::string(text), kDefaultRegion, &*number) !=
                pn::PhoneNumberUtil::NO_PARSING_ERROR)
                number.reset();
        }
        if (number) type = phoneUtil().GetNumberType(*number);
    }
    if (type == pn::PhoneNumberUtil::UNKNOWN)
        return Problem{"is not a valid phone number (a Malaysian number, or + and the country code)"};
    return ValidNumber{std::move(*number), type};
}

std::string e164(const pn::PhoneNumber& number) {
    std::string formatted;
    phoneUtil().Format(number, pn::PhoneNumberUtil::E164, &formatted);
    return formatted;
}

// Bookings made before E.164 stored the input minus spaces and dashes, keeping a leading '+'.
std::optional<std::string> legacyNormalised(std::string_view text) {
    std::string normalised;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isDigit(c) || (c == '+' && i == 0)) {
            normalised.push_back(c);
        } else if (c != '-' && c != ' ') {
            return std::nullopt;
        }
    }
    const std::size_t digits = normalised.size() - (normalised.starts_with('+') ? 1 : 0);
    if (digits < 9 || digits > 15) return std::nullopt;
    return normalised;
}

}  // namespace

FieldResult<std::string> parsePhoneNumber(std::string_view text) {
    auto parsed = parseValid(text);
    if (auto* problem = std::get_if<Problem>(&parsed)) return std::move(*problem);
    const auto& valid = std::get<ValidNumber>(parsed);
    if (valid.type != pn::PhoneNumberUtil::MOBILE && valid.type != pn::PhoneNumberUtil::FIXED_LINE_OR_MOBILE)
        return Problem{"must be a mobile number: the booking is confirmed by SMS"};
    return e164(valid.number);
}

FieldResult<std::string> parsePhoneCredential(std::string_view text) {
    auto parsed = parseValid(text);
    if (auto* valid = std::get_if<ValidNumber>(&parsed)) return e164(valid->number);
    if (auto legacy = legacyNormalised(text)) return std::move(*legacy);
    return std::move(std::get<Problem>(parsed));
}

std::vector<std::string> storedPhoneForms(std::string_view credential) {
    // Plain string work on the credential (E.164, or digits as stored before E.164), no parsing:
    // this runs on every lookup and cancel.
    std::vector<std::string> forms{std::string(credential)};
    if (!credential.starts_with('+')) return forms;
    forms.emplace_back(credential.substr(1));  // the same digits, typed without '+'
    if (credential.starts_with(kMalaysiaPrefix) && credential.size() > kMalaysiaPrefix.size()) {
        const std::string_view national = credential.substr(kMalaysiaPrefix.size());
        forms.push_back("0" + std::string(national));  // dialled within Malaysia
        forms.emplace_back(national);                  // and without the trunk 0
    }
    return forms;
}

}  // namespace jkjav::domain
