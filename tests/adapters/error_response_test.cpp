// Error bodies quote client bytes (a path, a location): they must stay valid UTF-8 JSON whatever
// those bytes are. Found by fuzz_http_request: `GET /stations/\xff\xfe` answered invalid JSON.
#include "adapters/http/error_response.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace jkjav::http {
namespace {

struct QuotedBytes {
    const char* name;
    std::string message;
    std::string expected;  // the message as the body carries it
};

void PrintTo(const QuotedBytes& quoted, std::ostream* out) { *out << quoted.name; }

class ErrorBodyQuoting : public ::testing::TestWithParam<QuotedBytes> {};

TEST_P(ErrorBodyQuoting, IsValidUtf8JsonWithBadBytesReplaced) {
    const std::string body =
        errorBody(domain::Outcome::kNotFound, GetParam().message, {{"field", GetParam().message}});
    boost::system::error_code ec;
    const auto document = boost::json::parse(body, ec);  // refuses invalid UTF-8
    ASSERT_FALSE(ec) << body;
    EXPECT_EQ(document.at("message").as_string(), GetParam().expected);
    EXPECT_EQ(document.at("errors").at(0).at("message").as_string(), GetParam().expected);
}

const std::string kReplacement = "\xEF\xBF\xBD";

INSTANTIATE_TEST_SUITE_P(
    Messages, ErrorBodyQuoting,
    ::testing::Values(
        QuotedBytes{"Ascii", "No such endpoint: /nope.", "No such endpoint: /nope."},
        QuotedBytes{"ValidMultiByte", "陈 \xF0\x9F\x8F\xA0 \xE2\x80\xAE", "陈 \xF0\x9F\x8F\xA0 \xE2\x80\xAE"},
        QuotedBytes{"StrayBytes", "/stations/\xff\xfe", "/stations/" + kReplacement + kReplacement},
        QuotedBytes{"LoneContinuation", "a\x80z", "a" + kReplacement + "z"},
        QuotedBytes{"Overlong", "\xC0\xAF", kReplacement + kReplacement},
        QuotedBytes{"Surrogate", "\xED\xA0\x80", kReplacement + kReplacement + kReplacement},
        QuotedBytes{"PastU10FFFF", "\xF4\x90\x80\x80",
                    kReplacement + kReplacement + kReplacement + kReplacement},
        QuotedBytes{"Truncated", "ok\xE2\x80", "ok" + kReplacement + kReplacement},
        QuotedBytes{"NulAndControls", std::string("a\0b\x01", 4), std::string("a\0b\x01", 4)}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace jkjav::http
