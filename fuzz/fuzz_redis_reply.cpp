// Bytes from a Redis server -> the bounded hiredis reader RedisConnection uses, fed as it feeds it -> every
// reply walked with the ReplyView API. Promises: nothing crashes or leaks, a view answers every question
// about every node (and about nodes that are not there), and the replies are the same whether the
// bytes arrive at once or one by one (TCP may split them anywhere).
#include <hiredis/hiredis.h>

#include <cstdint>
#include <string>

#include "adapters/redis/redis_reader.hpp"
#include "adapters/redis/redis_reply.hpp"
#include "fuzz_invariants.hpp"

namespace {

using jkjav::fuzz::require;
using jkjav::redis::ReplyView;

// A text rendering of one reply tree, built only through ReplyView.
void describe(ReplyView view, std::string& out) {
    const int kinds = view.isError() + view.isNil() + view.isString() + view.isInteger() + view.isArray();
    require(kinds <= 1, "a node is of one kind at most");
    const auto text = view.text();
    const auto number = view.asInteger();
    require(view.isString() || view.isError() || text.empty(), "only strings and errors have text");
    require(!view.isInteger() || number == view.integer(), "an integer reads as itself");
    out += view.isError() ? 'E' : view.isNil() ? 'N' : view.isString() ? 'S' : view.isInteger() ? 'I' : 'A';
    out += std::to_string(text.size()) + ':';
    out.append(text);
    if (number) out += '#' + std::to_string(*number);
    const std::size_t size = view.size();
    require(view.isArray() || size == 0, "only arrays have elements");
    out += '[';
    for (std::size_t i = 0; i < size; ++i) describe(view[i], out);
    out += ']';
    require(view[size].isNil() && view[size + 1000].isNil(), "a node past the end is nil");
}

// Every reply the connection would hand out, then "!" if the reader gave up (the connection closes).
std::string readAll(std::string_view bytes, std::size_t chunk) {
    redisReader* reader = jkjav::redis::createBoundedReader();
    std::string replies;
    bool failed = false;
    for (std::size_t at = 0; at < bytes.size() && !failed; at += chunk) {
        const auto piece = bytes.substr(at, chunk);
        if (redisReaderFeed(reader, piece.data(), piece.size()) != REDIS_OK) failed = true;
        while (!failed) {
            void* reply = nullptr;
            if (redisReaderGetReply(reader, &reply) != REDIS_OK) {
                failed = true;
                break;
            }
            if (reply == nullptr) break;
            const jkjav::redis::RedisReply owned(static_cast<redisReply*>(reply));
            describe(owned.view(), replies);
            replies += '\n';
        }
    }
    redisReaderFree(reader);
    return failed ? replies + '!' : replies;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string atOnce = readAll(bytes, bytes.size() + 1);
    const std::string byteByByte = readAll(bytes, 1);
    // An error found early in the split feed stops it before replies the whole feed may still
    // have produced, so only a prefix is promised when either failed.
    if (!atOnce.ends_with('!') && !byteByByte.ends_with('!')) {
        require(atOnce == byteByByte, "splitting the bytes changes no reply");
    }
    return 0;
}
