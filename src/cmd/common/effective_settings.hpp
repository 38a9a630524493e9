// The settings a program runs with, for its start-up log line: what an operator checks first when
// the program does something unexpected. Secrets masked.
#pragma once

#include <CLI/App.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace jkjav::cmd {

struct Setting {
    std::string name;  // the environment variable (REDIS_URL), which names a setting in the docs
    std::string value;
};

// Every option of `app` that has an environment variable, after parsing: the value given (flag or
// environment) or else its default. Values of secrets (PASSWORD, SECRET, TOKEN, SASL, KEY or
// CREDENTIAL in the name) are "****" when set; a URL's password is masked in any setting.
std::vector<Setting> effectiveSettings(const CLI::App& app);

// "redis://user:secret@host:6379/0" -> "redis://user:****@host:6379/0"; other text as it is.
std::string maskUrlPassword(std::string_view url);

}  // namespace jkjav::cmd
