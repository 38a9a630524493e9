// The bounded RESP reader: a header may not make it allocate more than kMaxReplyElements slots.
// Found by fuzz_redis_reply: `*854747758\r\n` made hiredis calloc 6.8 GB before any element came.
#include "adapters/redis/redis_reader.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/redis/redis_reply.hpp"

namespace jkjav::redis {
namespace {

struct ReaderFree {
    void operator()(redisReader* reader) const { redisReaderFree(reader); }
};
using Reader = std::unique_ptr<redisReader, ReaderFree>;

// REDIS_OK with the reply (null: needs more bytes), or REDIS_ERR.
int feed(const Reader& reader, const std::string& bytes, RedisReply& reply) {
    if (redisReaderFeed(reader.get(), bytes.data(), bytes.size()) != REDIS_OK) return REDIS_ERR;
    void* raw = nullptr;
    const int status = redisReaderGetReply(reader.get(), &raw);
    reply = RedisReply(static_cast<redisReply*>(raw));
    return status;
}

TEST(BoundedReader, RefusesAnArrayHeaderAboveTheBound) {
    for (const std::string& header :
         std::vector<std::string>{"*854747758\r\n", "*" + std::to_string(kMaxReplyElements + 1) + "\r\n",
                                  "*-2\r\n", "*1\r\n*2147483647\r\n"}) {
        const Reader reader(createBoundedReader());
        RedisReply reply;
        EXPECT_EQ(feed(reader, header, reply), REDIS_ERR) << header;
    }
}

TEST(BoundedReader, ReadsRepliesUpToTheBoundAsHiredisDoes) {
    const Reader reader(createBoundedReader());
    RedisReply reply;
    ASSERT_EQ(feed(reader, "*3\r\n:1\r\n$2\r\nok\r\n*-1\r\n", reply), REDIS_OK);
    ASSERT_EQ(reply.view().size(), 3u);
    EXPECT_EQ(reply.view()[0].integer(), 1);
    EXPECT_EQ(reply.view()[1].text(), "ok");
    EXPECT_TRUE(reply.view()[2].isNil());

    const Reader atTheBound(createBoundedReader());
    EXPECT_EQ(feed(atTheBound, "*" + std::to_string(kMaxReplyElements) + "\r\n", reply), REDIS_OK);
}

// A reply larger than the arena's first block (many nodes, a long string) spreads over several
// blocks; fed in pieces of every size, it reads back whole, and so do the replies after it.
TEST(BoundedReader, ReadsRepliesLargerThanOneBlockInAnyPieces) {
    const std::string longText(10000, 'x');
    std::string bytes = "*2\r\n*500\r\n";
    for (int i = 0; i < 500; ++i)
        bytes += "$" + std::to_string(std::to_string(i).size()) + "\r\n" + std::to_string(i) + "\r\n";
    bytes += "$" + std::to_string(longText.size()) + "\r\n" + longText + "\r\n";
    bytes += "+OK\r\n:-7\r\n-ERR no\r\n$-1\r\n";
    for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, bytes.size()}) {
        SCOPED_TRACE("pieces of " + std::to_string(piece));
        const Reader reader(createBoundedReader());
        std::vector<RedisReply> replies;
        for (std::size_t at = 0; at < bytes.size(); at += piece) {
            const std::string part = bytes.substr(at, piece);
            ASSERT_EQ(redisReaderFeed(reader.get(), part.data(), part.size()), REDIS_OK);
            for (void* raw = nullptr; redisReaderGetReply(reader.get(), &raw) == REDIS_OK && raw != nullptr;
                 raw = nullptr)
                replies.emplace_back(static_cast<redisReply*>(raw));
        }
        ASSERT_EQ(replies.size(), 5u);
        const ReplyView big = replies[0].view();
        ASSERT_EQ(big.size(), 2u);
        ASSERT_EQ(big[0].size(), 500u);
        for (std::size_t i = 0; i < 500; ++i) EXPECT_EQ(big[0][i].text(), std::to_string(i));
        EXPECT_EQ(big[1].text(), longText);
        EXPECT_EQ(replies[1].view().text(), "OK");
        EXPECT_EQ(replies[2].view().integer(), -7);
        EXPECT_TRUE(replies[3].view().isError());
        EXPECT_EQ(replies[3].view().text(), "ERR no");
        EXPECT_TRUE(replies[4].view().isNil());
    }
}

// A reply cut off by bad bytes, or left half-read when the reader goes, is freed with it (the
// sanitizer build and valgrind see a leak or a double free here).
TEST(BoundedReader, FreesRepliesLeftHalfRead) {
    RedisReply reply;
    const Reader broken(createBoundedReader());
    EXPECT_EQ(feed(broken, "*3\r\n$2\r\nok\r\n*2\r\n:1\r\n?garbage\r\n", reply), REDIS_ERR);
    const Reader abandoned(createBoundedReader());
    EXPECT_EQ(feed(abandoned, "*3\r\n$2\r\nok\r\n*2\r\n:1\r\n", reply), REDIS_OK);
    EXPECT_TRUE(reply.view().isNil());  // nothing whole yet
}

}  // namespace
}  // namespace jkjav::redis
