// The log formatters on hand-made messages: JSON lines that parse whatever the message holds, the
// fields of logWith() on the line, text that stays one line.
#include "adapters/logging/log_format.hpp"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>

#include <boost/json.hpp>
#include <regex>

#include "adapters/logging/log_fields.hpp"
#include "case_names.hpp"

namespace jkjav::logging {
namespace {

using jkjav::testing::ByLabel;

// The line `format` writes for `message` at `level` while `fields` are current.
std::string lineOf(LogFormat format, std::string_view message, std::initializer_list<LogField> fields = {},
                   spdlog::level::level_enum level = spdlog::level::info) {
    const auto formatter = makeLogFormatter(format);
    const spdlog::details::log_msg msg(spdlog::source_loc{}, "", level,
                                       spdlog::string_view_t(message.data(), message.size()));
    spdlog::memory_buf_t out;
    const detail::FieldsInUse inUse(std::span<const LogField>(fields.begin(), fields.size()));
    formatter->format(msg, out);
    return std::string(out.data(), out.size());
}

struct MessageCase {
    std::string label;
    std::string message;
};

void PrintTo(const MessageCase& c, std::ostream* out) { *out << ::testing::PrintToString(c.message); }

class JsonLines : public ::testing::TestWithParam<MessageCase> {};

TEST_P(JsonLines, ParseAndKeepTheMessage) {
    const std::string line =
        lineOf(LogFormat::kJson, GetParam().message, {{"requestId", "abc-1"}, {"status", 404}});
    ASSERT_TRUE(line.ends_with("}\n")) << line;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << ec.message() << ": " << line;
    const auto& object = parsed.as_object();
    EXPECT_EQ(object.at("level"), "info");
    EXPECT_TRUE(std::regex_match(std::string(object.at("time").as_string()),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    EXPECT_EQ(object.at("requestId"), "abc-1");
    EXPECT_EQ(object.at("status"), 404);
    // Valid UTF-8 comes back as sent; anything else as U+FFFD.
    const std::string message(object.at("message").as_string());
    if (GetParam().label != "InvalidUtf8") EXPECT_EQ(message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Messages, JsonLines,
    ::testing::Values(MessageCase{"Plain", "redis 127.0.0.1:6379: connected"},
                      MessageCase{"Quotes", R"(campaign "x" \ y)"}, MessageCase{"LineBreaks", "one\ntwo\r\n"},
                      MessageCase{"Controls", std::string("nul \0 bell \a del \x7f", 18)},
                      MessageCase{"Utf8", "Kuala Lumpur \xE2\x80\x94 caf\xC3\xA9 \xF0\x9F\x92\x89"},
                      MessageCase{"InvalidUtf8", "bad \xC3 \xFF \xED\xA0\x80 end"}, MessageCase{"Empty", ""}),
    ByLabel());

TEST(JsonLines, WriteRealNumbersWithMilliseconds) {
    const auto parsed = boost::json::parse(lineOf(LogFormat::kJson, "request", {{"durationMs", 0.25}}));
    EXPECT_DOUBLE_EQ(parsed.at("durationMs").as_double(), 0.25);
}

TEST(TextLines, CarryTheRequestIdAndFields) {
    const std::string line =
        lineOf(LogFormat::kText, "request",
               {{"requestId", "abc-1"}, {"route", "/booking"}, {"status", 200}, {"method", ""}},
               spdlog::level::debug);
    EXPECT_TRUE(std::regex_match(
        line, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[debug\] request \[req=abc-1\] )"
                         R"(route=/booking status=200 method=""\n)")))
        << line;
}

TEST(TextLines, StayOneLine) {
    const std::string line = lineOf(LogFormat::kText, "one\ntwo", {{"detail", "a\nb"}});
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
    EXPECT_NE(line.find("one\\ntwo"), std::string::npos) << line;
}

TEST(LogFormatNames, AreTextAndJsonOnly) {
    EXPECT_EQ(parseLogFormat("text"), LogFormat::kText);
    EXPECT_EQ(parseLogFormat("json"), LogFormat::kJson);
    EXPECT_EQ(parseLogFormat("JSON"), std::nullopt);
    EXPECT_EQ(parseLogFormat(""), std::nullopt);
}

TEST(LogFields, AreOnlyCurrentWhileLogging) {
    EXPECT_TRUE(currentLogFields().empty());
    {
        const LogField field{"requestId", "x"};
        const detail::FieldsInUse inUse(std::span<const LogField>(&field, 1));
        EXPECT_EQ(currentLogFields().size(), 1u);
    }
    EXPECT_TRUE(currentLogFields().empty());
}

}  // namespace
}  // namespace jkjav::logging
