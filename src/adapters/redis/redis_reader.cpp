#include "adapters/redis/redis_reader.hpp"

#include <hiredis/hiredis.h>

namespace jkjav::redis {
namespace {

// hiredis's own reply functions, taken from a reader it made (they are not exported), with
// createArray wrapped. Returning nullptr makes the reader fail as if out of memory.
struct BoundedFunctions {
    redisReplyObjectFunctions table{};
    void* (*createArray)(const redisReadTask*, int) = nullptr;
};

BoundedFunctions& boundedFunctions() {
    static BoundedFunctions functions = [] {
        BoundedFunctions made;
        redisReader* probe = redisReaderCreate();
        made.table = *probe->fn;
        made.createArray = probe->fn->createArray;
        redisReaderFree(probe);
        made.table.createArray = [](const redisReadTask* task, int elements) -> void* {
            if (elements < 0 || static_cast<std::size_t>(elements) > kMaxReplyElements) return nullptr;
            return boundedFunctions().createArray(task, elements);
        };
        return made;
    }();
    return functions;
}

}  // namespace

redisReader* createBoundedReader() {
    redisReader* reader = redisReaderCreate();
    if (reader != nullptr) reader->fn = &boundedFunctions().table;
    return reader;
}

}  // namespace jkjav::redis
