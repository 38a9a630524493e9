#include "adapters/logging/log_format.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>
#include <ctime>

#include "adapters/logging/log_fields.hpp"
#include "adapters/text/utf8.hpp"

namespace jkjav::logging {

namespace {

using Buffer = spdlog::memory_buf_t;

void append(Buffer& out, std::string_view text) { out.append(text.data(), text.data() + text.size()); }

std::string_view levelName(spdlog::level::level_enum level) {
    const auto name = spdlog::level::to_string_view(level);
    return {name.data(), name.size()};
}

// The inside of a JSON string: quotes, backslashes and control characters escaped, bytes that are
// not UTF-8 replaced by U+FFFD, so that every line parses whatever a message quotes.
void appendJsonEscaped(Buffer& out, std::string_view text) {
    static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t length = text::utf8SequenceLength(text.substr(i));
            if (length == 0) {
                append(out, "\\ufffd");
                ++i;
            } else {
                append(out, text.substr(i, length));
                i += length;
            }
            continue;
        }
        switch (c) {
            case '"':
                append(out, "\\\"");
                break;
            case '\\':
                append(out, "\\\\");
                break;
            case '\n':
                append(out, "\\n");
                break;
            case '\r':
                append(out, "\\r");
                break;
            case '\t':
                append(out, "\\t");
                break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    const std::array<char, 6> escape{'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                    out.append(escape.data(), escape.data() + escape.size());
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
        ++i;
    }
}

// Text lines stay one line: a message or value holding a line break or other control character
// (quoted from elsewhere) has it escaped as in JSON.
bool needsEscaping(std::string_view text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
    }
    return false;
}

// JSON has no NaN or infinity: such a number is written as 0.
void appendNumber(Buffer& out, const LogField& field) {
    if (field.kind == LogField::Kind::kInteger) {
        fmt::format_to(std::back_inserter(out), "{}", field.integer);
    } else {
        fmt::format_to(std::back_inserter(out), "{:.3f}", std::isfinite(field.real) ? field.real : 0.0);
    }
}

// RFC 3339 in UTC with milliseconds. The part up to the seconds is kept for the next line of the
// same second: formatting a date is most of a line's cost. The formatter runs under its sink's
// lock, so this cache needs none of its own.
class Rfc3339Clock {
  public:
    void append(Buffer& out, spdlog::log_clock::time_point time) {
        const auto sinceEpoch = time.time_since_epoch();
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(sinceEpoch);
        if (seconds.count() != cachedSecond_) {
            const std::time_t asTimeT = seconds.count();
            std::tm utc{};
            gmtime_r(&asTimeT, &utc);
            cachedLength_ = std::strftime(cached_.data(), cached_.size(), "%Y-%m-%dT%H:%M:%S", &utc);
            cachedSecond_ = seconds.count();
        }
        out.append(cached_.data(), cached_.data() + cachedLength_);
        const auto millis =
            std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch - seconds).count();
        const std::array<char, 5> fraction{'.', static_cast<char>('0' + millis / 100),
                                           static_cast<char>('0' + millis / 10 % 10),
                                           static_cast<char>('0' + millis % 10), 'Z'};
        out.append(fraction.data(), fraction.data() + fraction.size());
    }

  private:
    std::array<char, 32> cached_{};
    std::size_t cachedLength_ = 0;
    long long cachedSecond_ = -1;
};

class JsonFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, Buffer& out) override {
        append(out, R"({"time":")");
        clock_.append(out, msg.time);
        append(out, R"(","level":")");
        append(out, levelName(msg.level));
        append(out, R"(","message":")");
        appendJsonEscaped(out, std::string_view(msg.payload.data(), msg.payload.size()));
        out.push_back('"');
        for (const LogField& field : currentLogFields()) {
            append(out, ",\"");
            appendJsonEscaped(out, field.key);
            append(out, "\":");
            if (field.kind != LogField::Kind::kText) {
                appendNumber(out, field);
            } else {
                out.push_back('"');
                appendJsonEscaped(out, field.text);
                out.push_back('"');
            }
        }
        append(out, "}\n");
    }
    [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }

  private:
    Rfc3339Clock clock_;
};

class TextFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, Buffer& out) override {
        clock_.append(out, msg.time);
        append(out, " [");
        msg.color_range_start = out.size();  // a terminal sink colours the level
        append(out, levelName(msg.level));
        msg.color_range_end = out.size();
        append(out, "] ");
        appendText(out, std::string_view(msg.payload.data(), msg.payload.size()));
        for (const LogField& field : currentLogFields()) {
            if (field.key == kRequestIdKey) {
                append(out, " [req=");
                appendText(out, field.text);
                out.push_back(']');
                continue;
            }
            out.push_back(' ');
            appendText(out, field.key);
            out.push_back('=');
            if (field.kind != LogField::Kind::kText) {
                appendNumber(out, field);
            } else if (field.text.empty() || field.text.find_first_of(" \"=") != std::string_view::npos) {
                out.push_back('"');
                appendJsonEscaped(out, field.text);
                out.push_back('"');
            } else {
                appendText(out, field.text);
            }
        }
        out.push_back('\n');
    }
    [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<TextFormatter>();
    }

  private:
    static void appendText(Buffer& out, std::string_view text) {
        if (needsEscaping(text)) {
            appendJsonEscaped(out, text);
        } else {
            append(out, text);
        }
    }

    Rfc3339Clock clock_;
};

}  // namespace

std::optional<LogFormat> parseLogFormat(std::string_view name) {
    if (name == "text") return LogFormat::kText;
    if (name == "json") return LogFormat::kJson;
    return std::nullopt;
}

std::unique_ptr<spdlog::formatter> makeLogFormatter(LogFormat format) {
    if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
    return std::make_unique<TextFormatter>();
}

void installLogFormat(LogFormat format) { spdlog::set_formatter(makeLogFormatter(format)); }

}  // namespace jkjav::logging
