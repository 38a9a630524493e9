#include "adapters/redis/redis_endpoint.hpp"

#include <gtest/gtest.h>

namespace jkjav::redis {
namespace {

TEST(RedisUrl, ParsesHostPortPasswordAndDatabase) {
    const auto plain = parseRedisUrl("redis://127.0.0.1:6379");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->host, "127.0.0.1");
    EXPECT_EQ(plain->port, 6379);
    EXPECT_EQ(plain->database, 0);

    const auto full = parseRedisUrl("redis://app:s3cret@redis:6380/2");
    ASSERT_TRUE(full);
    EXPECT_EQ(full->host, "redis");
    EXPECT_EQ(full->port, 6380);
    EXPECT_EQ(full->username, "app");
    EXPECT_EQ(full->password, "s3cret");
    EXPECT_EQ(full->database, 2);

    EXPECT_EQ(parseRedisUrl("redis://:pw@localhost")->password, "pw");
    EXPECT_EQ(parseRedisUrl("redis://localhost")->port, 6379);
}

TEST(RedisUrl, RefusesOtherThings) {
    for (const char* url : {"http://localhost:6379", "localhost:6379", "redis://", "redis://host:0",
                            "redis://host/x", "redis://host?db=1", ""}) {
        EXPECT_FALSE(parseRedisUrl(url)) << url;
    }
}

}  // namespace
}  // namespace jkjav::redis
