#include "domain/phone_number.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <iterator>
#include <optional>

namespace jkjav::domain {
namespace {

namespace pn = i18n::phonenumbers;

constexpr std::size_t kMaxInputLength = 40;  // far above any real number, well below libphonenumber's 250
constexpr const char* kDefaultRegion = "MY";
constexpr int kMalaysia = 60;

// libphonenumber keeps one instance per process (thread-safe, built on first use, never freed).
const pn::PhoneNumberUtil& phoneUtil() {
    static const pn::PhoneNumberUtil& util = *pn::PhoneNumberUtil::GetInstance();
    return util;
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

std::string e164(const pn::PhoneNumber& number) {
    std::string formatted;
    phoneUtil().Format(number, pn::PhoneNumberUtil::E164, &formatted);
    return formatted;
}

// A valid number (any type), or the problem to report.
FieldResult<pn::PhoneNumber> parseValid(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    if (text.size() > kMaxInputLength || !hasOnlyPhoneCharacters(text))
        return Problem{"may hold only digits, a leading '+', spaces, dashes, dots and brackets"};
    pn::PhoneNumber number;
    if (phoneUtil().Parse(std::string(text), kDefaultRegion, &number) !=
            pn::PhoneNumberUtil::NO_PARSING_ERROR ||
        !phoneUtil().IsValidNumber(number)) {
        return Problem{"is not a valid phone number (a Malaysian number, or + and the country code)"};
    }
    return number;
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
    const auto& number = std::get<pn::PhoneNumber>(parsed);
    const auto type = phoneUtil().GetNumberType(number);
    if (type != pn::PhoneNumberUtil::MOBILE && type != pn::PhoneNumberUtil::FIXED_LINE_OR_MOBILE)
        return Problem{"must be a mobile number: the booking is confirmed by SMS"};
    return e164(number);
}

FieldResult<std::string> parsePhoneCredential(std::string_view text) {
    auto parsed = parseValid(text);
    if (auto* number = std::get_if<pn::PhoneNumber>(&parsed)) return e164(*number);
    if (auto legacy = legacyNormalised(text)) return std::move(*legacy);
    return std::move(std::get<Problem>(parsed));
}

std::vector<std::string> storedPhoneForms(std::string_view credential) {
    std::vector<std::string> forms{std::string(credential)};
    pn::PhoneNumber number;
    if (!credential.starts_with('+') ||
        phoneUtil().Parse(std::string(credential), kDefaultRegion, &number) !=
            pn::PhoneNumberUtil::NO_PARSING_ERROR ||
        e164(number) != credential) {
        return forms;  // a legacy form: it can only match itself
    }
    auto add = [&](std::string form) {
        if (!form.empty() && std::find(forms.begin(), forms.end(), form) == forms.end())
            forms.push_back(std::move(form));
    };
    add(std::string(credential.substr(1)));
    if (number.country_code() == kMalaysia) {
        std::string national;
        phoneUtil().Format(number, pn::PhoneNumberUtil::NATIONAL, &national);
        add(digitsOf(national));
        std::string significant;
        phoneUtil().GetNationalSignificantNumber(number, &significant);
        add(std::move(significant));
    }
    return forms;
}

}  // namespace jkjav::domain
