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

}  // namespace
}  // namespace jkjav::redis
