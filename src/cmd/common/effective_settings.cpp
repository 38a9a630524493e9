#include "cmd/common/effective_settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace jkjav::cmd {

namespace {

constexpr std::string_view kMasked = "****";

bool isSecretName(std::string_view name) {
    static constexpr std::array<std::string_view, 6> kSecretWords{"PASSWORD", "SECRET", "TOKEN",
                                                                  "SASL",     "KEY",    "CREDENTIAL"};
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                       [&](std::string_view word) { return upper.find(word) != std::string::npos; });
}

}  // namespace

std::string maskUrlPassword(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    const auto authorityStart = scheme + 3;
    const auto authorityEnd = std::min(url.find_first_of("/?#", authorityStart), url.size());
    const auto at = url.rfind('@', authorityEnd);
    if (at == std::string_view::npos || at < authorityStart) return std::string(url);
    const auto colon = url.find(':', authorityStart);
    if (colon == std::string_view::npos || colon > at) return std::string(url);  // a user, no password
    std::string masked(url.substr(0, colon + 1));
    masked.append(kMasked);
    masked.append(url.substr(at));
    return masked;
}

std::vector<Setting> effectiveSettings(const CLI::App& app) {
    std::vector<Setting> settings;
    for (const CLI::Option* option : app.get_options()) {
        const std::string name = option->get_envname();
        if (name.empty()) continue;  // --help and the like: not settings
        std::string value;
        if (option->count() > 0) {
            for (const std::string& result : option->results()) {
                if (!value.empty()) value.push_back(',');
                value.append(result);
            }
        } else {
            value = option->get_default_str();
        }
        if (isSecretName(name) && !value.empty()) {
            value = kMasked;
        } else {
            value = maskUrlPassword(value);
        }
        settings.push_back({name, std::move(value)});
    }
    return settings;
}

}  // namespace jkjav::cmd
