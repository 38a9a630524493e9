// Checks of jkjav-admin's arguments, run while the command line is parsed, so that a wrong one is
// refused (exit 2) before Redis is contacted. Each says what is wrong with the value; the person id
// check also normalises it (as the API does: "900127-01-5527" is "900127015527").
#pragma once

#include <CLI/CLI.hpp>

namespace jkjav::cmd {

CLI::Validator locationCode();
CLI::Validator compactDate();  // YYYYMMDD or YYYY-MM-DD, normalised to YYYYMMDD
CLI::Validator personId();
CLI::Validator reasonText();  // 1 to 500 bytes, no control characters: it goes into the event

}  // namespace jkjav::cmd
