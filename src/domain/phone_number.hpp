// Phone numbers: parsed, checked and written in one form (E.164) with libphonenumber, so that
// 012-345 6789, 0123456789 and +60 12-345 6789 are the same number. Without a country code a
// number is Malaysian.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/field_result.hpp"

namespace jkjav::domain {

// For a booking: a valid mobile number of any country, as E.164 ("+60123456789"). Mobile because
// the person is sent an SMS; a number that may be either (some countries can't tell) passes.
FieldResult<std::string> parsePhoneNumber(std::string_view text);

// For a lookup or cancel, where the number only has to match the booking's: any valid number, as
// E.164; or, for text libphonenumber doesn't take for a valid number, the digits with an optional
// leading '+' (9 to 15), which is how bookings were stored before numbers were normalised.
FieldResult<std::string> parsePhoneCredential(std::string_view text);

// Every form a booking may hold `credential` (a parsePhoneCredential result) in: the credential
// itself (always first), the same digits without '+', and for +60 numbers the forms typed within
// Malaysia ("0123456789", "123456789"), which bookings made before E.164 were stored in.
std::vector<std::string> storedPhoneForms(std::string_view credential);

}  // namespace jkjav::domain
