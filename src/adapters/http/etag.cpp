#include "adapters/http/etag.hpp"

#include <cstdint>
#include <cstdio>

namespace jkjav::http {

std::string strongEtagOf(std::string_view body) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : body) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "\"%016llx\"", static_cast<unsigned long long>(hash));
    return buffer;
}

}  // namespace jkjav::http
