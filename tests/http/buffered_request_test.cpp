// Parsing what a connection already read (buffered_request.hpp): a whole request is parsed with no
// read; a partial one says need_more and loses nothing; a pipelined next request stays buffered;
// bad bytes get the parser's own error, as Beast's read would have returned it.
#include "adapters/http/buffered_request.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

#include "case_names.hpp"

namespace jkjav::http {
namespace {

using boost::beast::http::error;
using jkjav::testing::ByLabel;

enum class Verdict { kDone, kNeedMore, kRefused };

struct BufferedCase {
    std::string label;
    std::string bytes;      // what the connection has read so far
    Verdict head;           // parseBufferedHead's answer
    Verdict body;           // then parseBufferedBody's (kDone when the head was not done)
    std::string wholeBody;  // the body parsed, when done
    std::string leftover;   // what the parser left in the buffer: the next request, or an unfinished line
};

void PrintTo(const BufferedCase& c, std::ostream* out) { *out << c.label; }

Verdict verdictOf(const boost::system::error_code& ec) {
    if (!ec) return Verdict::kDone;
    return ec == error::need_more ? Verdict::kNeedMore : Verdict::kRefused;
}

void fill(boost::beast::flat_buffer& buffer, const std::string& bytes) {
    buffer.commit(boost::asio::buffer_copy(buffer.prepare(bytes.size()), boost::asio::buffer(bytes)));
}

constexpr std::size_t kBodyLimit = 64;

class ParseBuffered : public ::testing::TestWithParam<BufferedCase> {};

TEST_P(ParseBuffered, ParsesWhatIsThereAndKeepsTheRest) {
    const BufferedCase& c = GetParam();
    RequestParser parser;
    parser.body_limit(kBodyLimit);
    boost::beast::flat_buffer buffer;
    fill(buffer, c.bytes);

    const Verdict head = verdictOf(parseBufferedHead(parser, buffer));
    ASSERT_EQ(head, c.head);
    Verdict body = Verdict::kDone;
    if (head == Verdict::kDone && !parser.is_done()) body = verdictOf(parseBufferedBody(parser, buffer));
    EXPECT_EQ(body, c.body);
    if (head == Verdict::kDone && body == Verdict::kDone) EXPECT_EQ(parser.get().body(), c.wholeBody);
    if (head != Verdict::kRefused && body != Verdict::kRefused)
        EXPECT_EQ(boost::beast::buffers_to_string(buffer.data()), c.leftover);
}

const std::string kGet = "GET /stations/PWTC HTTP/1.1\r\nHost: a\r\n\r\n";
const std::string kPostHead = "POST /booking HTTP/1.1\r\nHost: a\r\nContent-Length: 13\r\n\r\n";
const std::string kChunkedHead = "POST /booking HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

INSTANTIATE_TEST_SUITE_P(
    Bytes, ParseBuffered,
    ::testing::Values(
        BufferedCase{"NothingYet", "", Verdict::kNeedMore, Verdict::kDone, "", ""},
        BufferedCase{"WholeGet", kGet, Verdict::kDone, Verdict::kDone, "", ""},
        BufferedCase{"HalfAHead", "GET /stations/PWTC HTTP/1.1\r\nHo", Verdict::kNeedMore, Verdict::kDone, "",
                     "Ho"},  // the start line is parsed already; the field waits for its end
        BufferedCase{"WholePost", kPostHead + R"({"a":"bcdef"})", Verdict::kDone, Verdict::kDone,
                     R"({"a":"bcdef"})", ""},
        BufferedCase{"PostHeadWithoutItsBody", kPostHead, Verdict::kDone, Verdict::kNeedMore, "", ""},
        BufferedCase{"PostWithHalfItsBody", kPostHead + R"({"a":)", Verdict::kDone, Verdict::kNeedMore, "",
                     ""},
        BufferedCase{"TwoPipelinedGets", kGet + kGet, Verdict::kDone, Verdict::kDone, "", kGet},
        BufferedCase{"PostThenAPipelinedGet", kPostHead + R"({"a":"bcdef"})" + kGet, Verdict::kDone,
                     Verdict::kDone, R"({"a":"bcdef"})", kGet},
        BufferedCase{"WholeChunkedPost", kChunkedHead + "5\r\nhello\r\n0\r\n\r\n", Verdict::kDone,
                     Verdict::kDone, "hello", ""},
        BufferedCase{"ChunkedPostCutInAChunk", kChunkedHead + "5\r\nhel", Verdict::kDone, Verdict::kNeedMore,
                     "", ""},
        BufferedCase{"NotHttp", "HELLO THERE\r\n\r\n", Verdict::kRefused, Verdict::kDone, "", ""},
        BufferedCase{"ContentLengthOverTheLimit",
                     "POST /booking HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", Verdict::kRefused,
                     Verdict::kDone, "", ""},
        BufferedCase{"ChunkedBodyOverTheLimit",
                     kChunkedHead + "41\r\n" + std::string(65, 'x') + "\r\n0\r\n\r\n", Verdict::kDone,
                     Verdict::kRefused, "", ""}),
    ByLabel());

TEST(ParseBufferedHead, AHeadInTwoPiecesIsWholeAfterTheSecond) {
    RequestParser parser;
    boost::beast::flat_buffer buffer;
    fill(buffer, "GET /stations/PWTC HTTP/1.1\r\nHo");
    ASSERT_EQ(parseBufferedHead(parser, buffer), error::need_more);
    fill(buffer, "st: a\r\nX-Request-Id: r1\r\n\r\n");
    ASSERT_FALSE(parseBufferedHead(parser, buffer));
    EXPECT_EQ(parser.get().target(), "/stations/PWTC");
    EXPECT_EQ(parser.get()["X-Request-Id"], "r1");
    EXPECT_TRUE(parser.is_done());
}

// A request that arrives in pieces: what was parsed before need_more is kept, so the whole body is
// there once the rest comes (the session reads on into the same buffer with the same parser).
TEST(ParseBufferedBody, ABodyInTwoPiecesIsWholeAfterTheSecond) {
    RequestParser parser;
    boost::beast::flat_buffer buffer;
    fill(buffer, kChunkedHead + "5\r\nhel");
    ASSERT_FALSE(parseBufferedHead(parser, buffer));
    ASSERT_EQ(parseBufferedBody(parser, buffer), error::need_more);
    fill(buffer, "lo\r\n0\r\n\r\n");
    ASSERT_FALSE(parseBufferedBody(parser, buffer));
    EXPECT_EQ(parser.get().body(), "hello");
    EXPECT_EQ(buffer.size(), 0U);
}

}  // namespace
}  // namespace jkjav::http
