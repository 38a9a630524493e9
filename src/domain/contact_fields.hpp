// Checks for the free-text and phone fields of a booking form.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/field_result.hpp"

namespace jkjav::domain {

// Digits with an optional leading '+'; dashes and spaces allowed and dropped; 9 to 15 digits.
FieldResult<std::string> parsePhoneNumber(std::string_view text);

// Valid UTF-8 of 1 to maxCharacters code points after trimming spaces, with no control characters.
// Any script passes: names in Malay, Chinese and Tamil are all ordinary input.
FieldResult<std::string> parseText(std::string_view text, std::size_t maxCharacters);

// Decodes UTF-8 strictly (no overlongs, no surrogates); returns the number of code points, or -1
// when the text is not valid UTF-8 or contains a control character.
long countPrintableCodePoints(std::string_view text);

}  // namespace jkjav::domain
