// LOG_FORMAT: how every log line of the process is written. text, for people:
//   2026-11-25T20:24:50.123Z [info] message [req=9f3a0c2b7e41-1a] route=/booking status=200
// json, one object a line, for machines (time RFC 3339 UTC with milliseconds; fields as keys):
//   {"time":"2026-11-25T20:24:50.123Z","level":"info","message":"...","requestId":"...","status":200}
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <optional>
#include <string_view>

namespace jkjav::logging {

enum class LogFormat { kText, kJson };

// "text" or "json"; nullopt for anything else.
std::optional<LogFormat> parseLogFormat(std::string_view name);

// The formatter of `format`, which writes the line's fields (log_fields.hpp) too.
std::unique_ptr<spdlog::formatter> makeLogFormatter(LogFormat format);

// Every logger of the process, spdlog's default among them, writes `format` from now on.
void installLogFormat(LogFormat format);

}  // namespace jkjav::logging
