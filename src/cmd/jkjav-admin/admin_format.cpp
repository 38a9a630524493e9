#include "admin_format.hpp"

#include <algorithm>
#include <cstdio>

#include "domain/person_id.hpp"

namespace jkjav::cmd {

std::string personal(std::string_view value, bool show) {
    return show ? std::string(value) : domain::maskPersonal(value);
}

std::string sellOutBar(long long sold, long long capacity, int width) {
    const double share =
        capacity <= 0 ? 1.0 : std::clamp(static_cast<double>(sold) / static_cast<double>(capacity), 0.0, 1.0);
    const int filled = static_cast<int>(share * width + 0.5);
    std::string bar = "[" + std::string(filled, '#') + std::string(width - filled, '-') + "]";
    char percent[24];
    std::snprintf(percent, sizeof percent, " %3d%% sold", static_cast<int>(share * 100.0 + 0.5));
    return bar + percent;
}

std::string progressBar(long long done, long long total, int width) {
    char figures[64];
    if (total <= 0) {
        std::snprintf(figures, sizeof figures, "%lld", done);
        return figures;
    }
    const double share = std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
    const int filled = static_cast<int>(share * width);
    std::string bar = "[" + std::string(filled, '=');
    if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
    std::snprintf(figures, sizeof figures, "] %lld/%lld %3d%%", done, total, static_cast<int>(share * 100.0));
    return bar + figures;
}

std::string csvField(std::string_view value) {
    const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!quote) return std::string(value);
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace jkjav::cmd
