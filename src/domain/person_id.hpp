// The identity a booking belongs to: a MyKad number (with its date of birth) or a passport-type id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/calendar_date.hpp"
#include "domain/field_result.hpp"

namespace jkjav::domain {

enum class IdKind { kMyKad, kOther };

struct PersonId {
    std::string value;  // normalised: MyKad as 12 digits, others upper-case
    IdKind kind = IdKind::kOther;
    // MyKad only: the YYMMDD prefix; the century is decided by eligibility rules, not here.
    int birthYy = 0;
    int birthMonth = 0;
    int birthDay = 0;
};

// Text of only digits and dashes is a MyKad number: 12 digits, bare or as 900127-01-5527, whose
// first six are a real YYMMDD date; anything else of digits and dashes is refused, never taken for
// a passport. Passport-type ids: 5 to 20 ASCII letters and digits with at least one letter and at
// most 11 digits (so no MyKad number with a letter added), stored upper-case.
FieldResult<PersonId> parsePersonId(std::string_view text);

// For logs: never a whole identity or phone number ("9001******27").
std::string maskPersonal(std::string_view value);

// For free text from elsewhere that may quote a request (an exception's message, a Redis error):
// every word of letters, digits, '+' and '-' holding 5 or more digits is masked with maskPersonal,
// so an id or phone number in it, in any spelling (0123456789, +60123456789, 900127-01-5527), is
// never whole. Timestamps and other long numbers in such text are masked too: the price of safety.
std::string maskPersonalInText(std::string_view text);

}  // namespace jkjav::domain
