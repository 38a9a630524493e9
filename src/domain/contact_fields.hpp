// Checks for the free-text fields of a booking form (names, address).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/field_result.hpp"

namespace jkjav::domain {

// Any script passes: names in Malay, Jawi, Chinese and Tamil are all ordinary input. The text must
// be valid UTF-8 and is refused (not silently cleaned) when it holds a character that is invisible
// or changes how the rest reads: controls, format characters (direction overrides and isolates,
// zero-width characters, the BOM), line and paragraph separators, other default-ignorable
// characters (fillers, variation selectors), the braille blank, private-use, unassigned and
// non-characters. Every kind of space counts as a space: spaces around the text are dropped and
// each run inside becomes one ASCII space. What is left holds at least one letter and at most
// maxCharacters code points.
FieldResult<std::string> parseText(std::string_view text, std::size_t maxCharacters);

}  // namespace jkjav::domain
