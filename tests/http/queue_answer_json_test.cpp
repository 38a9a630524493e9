// The queue answer's body, written without a JSON tree: every state reads back as the contract's
// JSON, and the longest ticket and numbers fit.
#include "adapters/http/queue_answer_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>
#include <string>

#include "case_names.hpp"

namespace jkjav::http {
namespace {

using domain::QueueState;

struct AnswerCase {
    const char* label;
    app::QueueAnswer answer;
    const char* expected;
};
void PrintTo(const AnswerCase& c, std::ostream* os) { *os << c.label; }

class QueueAnswerBody : public ::testing::TestWithParam<AnswerCase> {};

TEST_P(QueueAnswerBody, IsTheContractsJson) {
    const QueueAnswerJson body(GetParam().answer);
    EXPECT_EQ(body.text(), GetParam().expected);
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(body.text(), ec);
    ASSERT_FALSE(ec) << body.text();
    EXPECT_EQ(parsed.at("ticket").as_string(), GetParam().answer.ticket);
}

INSTANTIATE_TEST_SUITE_P(
    States, QueueAnswerBody,
    ::testing::Values(
        AnswerCase{
            "Waiting",
            {.ticket = "1.ab.7.sig", .state = QueueState::kWaiting, .ahead = 7, .estimatedWaitSeconds = 4},
            R"({"ticket":"1.ab.7.sig","state":"waiting","ahead":7,"estimatedWaitSeconds":4})"},
        AnswerCase{"Prequeue",
                   {.ticket = "t", .state = QueueState::kPrequeue, .ahead = 0, .estimatedWaitSeconds = 0},
                   R"({"ticket":"t","state":"prequeue","ahead":0,"estimatedWaitSeconds":0})"},
        AnswerCase{
            "SoldOutWithTheWaitlist",
            {.ticket = "t", .state = QueueState::kClosed, .reason = app::kSoldOut, .waitlist = true},
            R"({"ticket":"t","state":"closed","ahead":0,"estimatedWaitSeconds":0,"reason":"SOLD_OUT","waitlist":true})"},
        AnswerCase{
            "SoldOutWithout",
            {.ticket = "t", .state = QueueState::kClosed, .reason = app::kSoldOut},
            R"({"ticket":"t","state":"closed","ahead":0,"estimatedWaitSeconds":0,"reason":"SOLD_OUT"})"},
        AnswerCase{
            "AdmissionEnded",
            {.ticket = "t", .state = QueueState::kClosed, .reason = app::kAdmissionEnded},
            R"({"ticket":"t","state":"closed","ahead":0,"estimatedWaitSeconds":0,"reason":"ADMISSION_ENDED"})"}),
    jkjav::testing::ByLabel());

TEST(QueueAnswerBody, TheLongestTicketAndNumbersFit) {
    app::QueueAnswer answer{.ticket = std::string(128, 'a'),
                            .state = QueueState::kClosed,
                            .ahead = std::numeric_limits<std::int64_t>::min(),
                            .estimatedWaitSeconds = std::numeric_limits<std::int64_t>::max(),
                            .reason = app::kAdmissionEnded,
                            .waitlist = true};
    const QueueAnswerJson body(answer);
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(body.text(), ec);
    ASSERT_FALSE(ec) << body.text();
    EXPECT_EQ(parsed.at("ahead").as_int64(), std::numeric_limits<std::int64_t>::min());
}

}  // namespace
}  // namespace jkjav::http
