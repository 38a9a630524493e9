// The strong ETag of a body served from memory.
#pragma once

#include <string>
#include <string_view>

namespace jkjav::http {

// A quoted 64-bit FNV-1a of the body: cheap, and stable across restarts and servers, so a client's
// If-None-Match keeps matching whichever replica answers.
std::string strongEtagOf(std::string_view body);

}  // namespace jkjav::http
