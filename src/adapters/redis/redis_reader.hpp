// hiredis's RESP reader with a bound on what one header may make it allocate, building each reply
// in an arena of its own (a few allocations a reply instead of two a node).
#pragma once

#include <cstddef>

struct redisReader;
struct redisReply;

namespace jkjav::redis {

// No reply this server reads comes near it: the largest is the counter table, two per slot.
inline constexpr std::size_t kMaxReplyElements = 1 << 20;

// Like redisReaderCreate(), but an array header announcing more than kMaxReplyElements is a
// protocol error: hiredis 0.14 would allocate room for every announced element at once
// (`*854747758\r\n`: 6.8 GB), before a single one has arrived. Free with redisReaderFree(); free
// its replies with freeReply() (RedisReply does).
redisReader* createBoundedReader();

// Frees a reply of a bounded reader, or one hiredis made itself (freeReplyObject).
void freeReply(redisReply* root);

}  // namespace jkjav::redis
