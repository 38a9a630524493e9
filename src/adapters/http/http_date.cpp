#include "adapters/http/http_date.hpp"

#include <ctime>

namespace jkjav::http {
namespace {

struct DateCache {
    std::time_t second = -1;
    char line[64] = {};
    std::size_t length = 0;
};

const DateCache& current() {
    thread_local DateCache cache;
    const std::time_t now = std::time(nullptr);
    if (now != cache.second) {
        std::tm utc{};
        gmtime_r(&now, &utc);
        cache.length =
            std::strftime(cache.line, sizeof cache.line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &utc);
        cache.second = now;
    }
    return cache;
}

}  // namespace

std::string_view dateHeaderLine() {
    const DateCache& cache = current();
    return {cache.line, cache.length};
}

std::string_view dateHeaderValue() {
    const std::string_view line = dateHeaderLine();
    constexpr std::string_view kName = "Date: ";
    return line.substr(kName.size(), line.size() - kName.size() - 2);
}

}  // namespace jkjav::http
