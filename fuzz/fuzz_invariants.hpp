// What every fuzz target asserts: a broken promise aborts, so libFuzzer keeps the input.
#pragma once

#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace jkjav::fuzz {

inline void require(bool holds, std::string_view promise) {
    if (holds) return;
    std::fprintf(stderr, "broken promise: %.*s\n", static_cast<int>(promise.size()), promise.data());
    std::abort();
}

// Boost.JSON refuses invalid UTF-8 too, so this is also the "valid UTF-8" check.
inline bool isJson(std::string_view text) {
    boost::system::error_code ec;
    boost::json::parse(text, ec);
    return !ec;
}

}  // namespace jkjav::fuzz
