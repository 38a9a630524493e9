// Fields attached to one log line (requestId, route, status...): the JSON format writes them as
// keys of the line's object, the text format after the message ("[req=...] route=/booking").
#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>

namespace jkjav::logging {

// The key every line about a request carries its X-Request-Id under.
inline constexpr std::string_view kRequestIdKey = "requestId";

// A key and a text or number; it refers to, and does not copy, the key and the text.
struct LogField {
    enum class Kind : std::uint8_t { kText, kInteger, kReal };

    LogField(std::string_view key, std::string_view text) : key(key), text(text) {}
    LogField(std::string_view key, const char* text) : key(key), text(text) {}
    template <class Integer>
    requires std::is_integral_v<Integer> LogField(std::string_view key, Integer number)
        : key(key), integer(static_cast<std::int64_t>(number)), kind(Kind::kInteger) {}
    LogField(std::string_view key, double number) : key(key), real(number), kind(Kind::kReal) {}

    std::string_view key;
    std::string_view text;
    std::int64_t integer = 0;
    double real = 0;  // written with 3 decimals (durationMs=0.125)
    Kind kind = Kind::kText;
};

// The fields of the line this thread is logging now; empty outside logWith().
std::span<const LogField> currentLogFields();

namespace detail {
// Makes `fields` this thread's current fields until destroyed. The formatter of a synchronous
// logger runs in the calling thread, so it finds them; nothing may suspend (co_await) meanwhile.
class FieldsInUse {
  public:
    explicit FieldsInUse(std::span<const LogField> fields);
    ~FieldsInUse();
    FieldsInUse(const FieldsInUse&) = delete;
    FieldsInUse& operator=(const FieldsInUse&) = delete;

  private:
    std::span<const LogField> previous_;
};
}  // namespace detail

// spdlog::log with fields: logWith({{"requestId", id}, {"status", 200}}, level, "...", args...).
template <class... Args>
void logWith(std::span<const LogField> fields, spdlog::level::level_enum level,
             spdlog::format_string_t<Args...> format, Args&&... args) {
    if (!spdlog::should_log(level)) return;
    const detail::FieldsInUse inUse(fields);
    spdlog::log(level, format, std::forward<Args>(args)...);
}

template <class... Args>
void logWith(std::initializer_list<LogField> fields, spdlog::level::level_enum level,
             spdlog::format_string_t<Args...> format, Args&&... args) {
    logWith(std::span<const LogField>(fields.begin(), fields.size()), level, format,
            std::forward<Args>(args)...);
}

}  // namespace jkjav::logging
