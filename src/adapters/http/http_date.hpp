// The Date header, formatted once per second per thread instead of once per response.
#pragma once

#include <string_view>

namespace jkjav::http {

// "Date: Tue, 24 Nov 2026 16:45:00 GMT\r\n", valid until the next call on this thread.
std::string_view dateHeaderLine();

// The same value without the name and line end, for Beast responses.
std::string_view dateHeaderValue();

}  // namespace jkjav::http
