#include "adapters/http/request_id.hpp"

#include <algorithm>
#include <random>

namespace jkjav::http {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

bool isSaneIdCharacter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// Per thread: 48 random bits drawn once (the only system call), then a counter.
struct IdSource {
    IdSource() {
        std::random_device entropy;
        prefix = (static_cast<std::uint64_t>(entropy()) << 32 | entropy()) & 0xFFFF'FFFF'FFFFULL;
    }
    std::uint64_t prefix;
    std::uint64_t count = 0;
};

// `value` in lower-case hex, exactly `digits` digits (0: as many as it needs) appended at `out`.
char* appendHex(char* out, std::uint64_t value, int digits) {
    std::array<char, 16> reversed{};
    int length = 0;
    do {
        reversed[static_cast<std::size_t>(length++)] = kHexDigits[value & 0xF];
        value >>= 4;
    } while ((digits == 0 && value != 0) || length < digits);
    return std::reverse_copy(reversed.begin(), reversed.begin() + length, out);
}

}  // namespace

RequestId RequestId::generate() {
    thread_local IdSource source;
    RequestId id;
    char* end = appendHex(id.chars_.data(), source.prefix, 12);
    *end++ = '-';
    end = appendHex(end, ++source.count, 0);
    id.size_ = static_cast<std::uint8_t>(end - id.chars_.data());
    return id;
}

std::optional<RequestId> RequestId::fromHeader(std::string_view value) {
    if (value.empty() || value.size() > kMaxLength) return std::nullopt;
    if (!std::all_of(value.begin(), value.end(), isSaneIdCharacter)) return std::nullopt;
    RequestId id;
    std::copy(value.begin(), value.end(), id.chars_.begin());
    id.size_ = static_cast<std::uint8_t>(value.size());
    return id;
}

RequestId requestIdFor(std::string_view headerValue, bool fromTrustedProxy) {
    if (fromTrustedProxy) {
        if (auto given = RequestId::fromHeader(headerValue)) return *given;
    }
    return RequestId::generate();
}

}  // namespace jkjav::http
