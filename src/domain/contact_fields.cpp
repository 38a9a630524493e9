#include "domain/contact_fields.hpp"

#include <cstdint>

namespace jkjav::domain {

FieldResult<std::string> parsePhoneNumber(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    std::string normalised;
    normalised.reserve(text.size());
    std::size_t digits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            normalised.push_back(c);
            ++digits;
        } else if (c == '+' && i == 0) {
            normalised.push_back(c);
        } else if (c != '-' && c != ' ') {
            return Problem{"may hold only digits, a leading '+', spaces and dashes"};
        }
    }
    if (digits < 9 || digits > 15) return Problem{"must have 9 to 15 digits"};
    return normalised;
}

long countPrintableCodePoints(std::string_view text) {
    long count = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::uint32_t codePoint = 0;
        std::size_t length = 0;
        if (lead < 0x80) {
            codePoint = lead;
            length = 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            codePoint = lead & 0x1Fu;
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            codePoint = lead & 0x0Fu;
            length = 3;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            codePoint = lead & 0x07u;
            length = 4;
        } else {
            return -1;
        }
        if (i + length > text.size()) return -1;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0u) != 0x80u) return -1;
            codePoint = (codePoint << 6) | (next & 0x3Fu);
        }
        const bool overlong = (length == 3 && codePoint < 0x800) || (length == 4 && codePoint < 0x10000);
        const bool surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
        const bool control = codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F);
        if (overlong || surrogate || codePoint > 0x10FFFF || control) return -1;
        ++count;
        i += length;
    }
    return count;
}

FieldResult<std::string> parseText(std::string_view text, std::size_t maxCharacters) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string_view::npos) return Problem{"is required"};
    const auto last = text.find_last_not_of(' ');
    const std::string_view trimmed = text.substr(first, last - first + 1);
    const long characters = countPrintableCodePoints(trimmed);
    if (characters < 0) return Problem{"must be valid UTF-8 text without control characters"};
    if (static_cast<std::size_t>(characters) > maxCharacters) {
        return Problem{"must be at most " + std::to_string(maxCharacters) + " characters"};
    }
    return std::string(trimmed);
}

}  // namespace jkjav::domain
