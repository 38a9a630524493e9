// UTF-8 well-formedness, for every place that writes client- or Redis-supplied bytes into JSON.
#pragma once

#include <cstddef>
#include <string_view>

namespace jkjav::text {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF), or 0 if it does not start with one. `text` is not empty.
std::size_t utf8SequenceLength(std::string_view text);

}  // namespace jkjav::text
