#include "domain/contact_fields.hpp"

#include <unicode/uchar.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

namespace jkjav::domain {
namespace {

constexpr char32_t kBrailleBlank = 0x2800;  // a symbol (So) that prints as nothing

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF): the code points, or nothing.
std::optional<std::vector<char32_t>> decodeUtf8(std::string_view text) {
    std::vector<char32_t> codePoints;
    codePoints.reserve(text.size());
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
            return std::nullopt;
        }
        if (i + length > text.size()) return std::nullopt;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0u) != 0x80u) return std::nullopt;
            codePoint = (codePoint << 6) | (next & 0x3Fu);
        }
        const bool overlong = (length == 3 && codePoint < 0x800) || (length == 4 && codePoint < 0x10000);
        const bool surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
        if (overlong || surrogate || codePoint > 0x10FFFF) return std::nullopt;
        codePoints.push_back(codePoint);
        i += length;
    }
    return codePoints;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

enum class Kind { kVisible, kSpace, kControl, kInvisible, kNotACharacter };

Kind classify(char32_t c) {
    const auto cp = static_cast<UChar32>(c);
    switch (u_charType(cp)) {
        case U_CONTROL_CHAR:
            return Kind::kControl;
        case U_SPACE_SEPARATOR:
            return Kind::kSpace;
        case U_FORMAT_CHAR:
        case U_LINE_SEPARATOR:
        case U_PARAGRAPH_SEPARATOR:
            return Kind::kInvisible;
        case U_PRIVATE_USE_CHAR:
        case U_UNASSIGNED:  // also every noncharacter (U+FDD0..FDEF, U+xFFFE/xFFFF)
        case U_SURROGATE:
            return Kind::kNotACharacter;
        default:
            break;
    }
    // Hangul fillers (letters!), variation selectors, the combining grapheme joiner: nothing to see.
    if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == kBrailleBlank)
        return Kind::kInvisible;
    return Kind::kVisible;
}

bool isLetter(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_L_MASK) != 0; }

// The code point as U+XXXX: safe to echo whatever it is.
std::string codePointName(char32_t c) {
    char name[12];
    std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
    return name;
}

}  // namespace

FieldResult<std::string> parseText(std::string_view text, std::size_t maxCharacters) {
    const auto codePoints = decodeUtf8(text);
    if (!codePoints) return Problem{"must be valid UTF-8 text"};

    std::string cleaned;
    cleaned.reserve(text.size());
    std::size_t characters = 0;
    bool pendingSpace = false;
    bool hasLetter = false;
    for (const char32_t c : *codePoints) {
        switch (classify(c)) {
            case Kind::kControl:
                return Problem{"must be one line of text without control characters"};
            case Kind::kInvisible:
                return Problem{"must not contain invisible or formatting characters (found " +
                               codePointName(c) + ")"};
            case Kind::kNotACharacter:
                return Problem{"must not contain private-use, unassigned or non-characters (found " +
                               codePointName(c) + ")"};
            case Kind::kSpace:
                pendingSpace = characters > 0;  // spaces before the first character are dropped
                continue;
            case Kind::kVisible:
                break;
        }
        if (pendingSpace) {
            cleaned.push_back(' ');
            ++characters;
            pendingSpace = false;
        }
        appendUtf8(cleaned, c);
        ++characters;
        hasLetter = hasLetter || isLetter(c);
    }
    if (characters == 0) return Problem{"is required"};
    if (!hasLetter) return Problem{"must contain at least one letter"};
    if (characters > maxCharacters) {
        return Problem{"must be at most " + std::to_string(maxCharacters) + " characters"};
    }
    return cleaned;
}

}  // namespace jkjav::domain
