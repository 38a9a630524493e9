// Files other processes poll for (a bound port, a bootstrap address): they appear whole or not at all.
#pragma once

#include <string>

namespace jkjav::cmd {

// Writes `content` and a newline to a temporary file next to `path`, then renames it over `path`:
// a reader never sees half a line. False when either step fails.
bool writeAtomically(const std::string& path, const std::string& content);

}  // namespace jkjav::cmd
