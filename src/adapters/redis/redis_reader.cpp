#include "adapters/redis/redis_reader.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace jkjav::redis {
namespace {

// Each reply this reader makes lives in blocks of its own (an arena): its nodes, element vectors
// and strings are carved from them, and the whole tree goes with one free() a block. hiredis's own
// functions malloc every node and every string apart, and freeReplyObject frees them one by one:
// for a batch of bookings (five nodes each) that was a fifth of the server's own instructions.
//
// A block starts with this header; the first block's header is the arena: it knows the newest
// block (where the next node goes) and links them all for the free.
struct Block {
    Block* next;    // the next block to free (from the first)
    Block* newest;  // in the first block only: where allocation goes on
    std::size_t used;
    std::size_t capacity;
};

constexpr std::size_t kAlign = alignof(std::max_align_t);
constexpr std::size_t kHeader = (sizeof(Block) + kAlign - 1) / kAlign * kAlign;
constexpr std::size_t kFirstBlock = 2048;        // a single booking's reply, a small batch's
constexpr std::size_t kLargestGrowth = 1 << 18;  // blocks grow fourfold up to this, then stay

std::size_t rounded(std::size_t size) { return (size + kAlign - 1) / kAlign * kAlign; }
char* dataOf(Block* block) { return reinterpret_cast<char*>(block) + kHeader; }

Block* newBlock(std::size_t capacity) {
    void* memory = std::malloc(kHeader + capacity);
    if (memory == nullptr) return nullptr;
    return new (memory) Block{nullptr, nullptr, 0, capacity};
}

// `size` bytes from the arena, or nullptr when out of memory.
void* allocate(Block* arena, std::size_t size) {
    size = rounded(size);
    Block* block = arena->newest;
    if (block->capacity - block->used < size) {
        const std::size_t grown = std::min(block->capacity * 4, kLargestGrowth);
        Block* added = newBlock(std::max(grown, size));
        if (added == nullptr) return nullptr;
        added->next = arena->next;  // the list's order doesn't matter, only that it has them all
        arena->next = added;
        arena->newest = block = added;
    }
    void* at = dataOf(block) + block->used;
    block->used += size;
    return at;
}

void freeArena(Block* arena) {
    while (arena != nullptr) {
        Block* next = arena->next;
        std::free(arena);
        arena = next;
    }
}

// Where a root node says its arena is: a field hiredis leaves zero for that type (its nodes are
// calloc'd), so a tree hiredis made itself is told from ours and freed by freeReplyObject. The
// pointer is copied in and out as bytes: the field's own type is char* or redisReply**, and
// reading it as a Block* would break the aliasing rules.
void* arenaFieldOf(redisReply* root) {
    static_assert(sizeof(Block*) == sizeof(char*) && sizeof(Block*) == sizeof(redisReply**));
    return root->type == REDIS_REPLY_ARRAY || root->type == REDIS_REPLY_INTEGER ||
                   root->type == REDIS_REPLY_NIL
               ? static_cast<void*>(&root->str)
               : static_cast<void*>(&root->element);
}
Block* arenaOf(redisReply* root) {
    Block* arena = nullptr;
    std::memcpy(&arena, arenaFieldOf(root), sizeof arena);
    return arena;
}
void setArena(redisReply* root, Block* arena) { std::memcpy(arenaFieldOf(root), &arena, sizeof arena); }

// A zeroed node of `type`, followed by `extra` bytes, in the reply's arena (a new one for a root),
// and linked into its parent as hiredis's own functions link theirs.
redisReply* newNode(const redisReadTask* task, int type, std::size_t extra) {
    Block* arena = nullptr;
    void* memory = nullptr;
    if (task->parent == nullptr) {
        arena = newBlock(std::max(kFirstBlock, rounded(sizeof(redisReply)) + extra));
        if (arena == nullptr) return nullptr;
        arena->newest = arena;
        memory = allocate(arena, rounded(sizeof(redisReply)) + extra);
    } else {
        const redisReadTask* root = task;
        while (root->parent != nullptr) root = root->parent;
        arena = arenaOf(static_cast<redisReply*>(root->obj));
        memory = allocate(arena, rounded(sizeof(redisReply)) + extra);
        if (memory == nullptr) return nullptr;
    }
    auto* node = new (memory) redisReply{};
    node->type = type;
    if (task->parent == nullptr) {
        setArena(node, arena);
    } else {
        auto* parent = static_cast<redisReply*>(task->parent->obj);
        parent->element[task->idx] = node;
    }
    return node;
}

char* extraOf(redisReply* node) { return reinterpret_cast<char*>(node) + rounded(sizeof(redisReply)); }

void* createString(const redisReadTask* task, char* text, std::size_t length) {
    redisReply* node = newNode(task, task->type, length + 1);
    if (node == nullptr) return nullptr;
    node->str = extraOf(node);
    std::memcpy(node->str, text, length);
    node->str[length] = '\0';
    node->len = length;
    return node;
}

// Returning nullptr makes the reader fail as if out of memory: so an array header announcing
// more than kMaxReplyElements is refused before room for them is taken.
void* createArray(const redisReadTask* task, int elements) {
    if (elements < 0 || static_cast<std::size_t>(elements) > kMaxReplyElements) return nullptr;
    const std::size_t vector = static_cast<std::size_t>(elements) * sizeof(redisReply*);
    redisReply* node = newNode(task, REDIS_REPLY_ARRAY, vector);
    if (node == nullptr) return nullptr;
    if (elements > 0) {
        node->element = reinterpret_cast<redisReply**>(extraOf(node));
        std::fill_n(node->element, elements, nullptr);
    }
    node->elements = static_cast<std::size_t>(elements);
    return node;
}

void* createInteger(const redisReadTask* task, long long value) {
    redisReply* node = newNode(task, REDIS_REPLY_INTEGER, 0);
    if (node != nullptr) node->integer = value;
    return node;
}

void* createNil(const redisReadTask* task) { return newNode(task, REDIS_REPLY_NIL, 0); }

// hiredis frees only a root this way (a reply abandoned half-read, when the reader is freed).
void freeObject(void* root) { freeReply(static_cast<redisReply*>(root)); }

// Not const: the reader's field is a pointer to non-const (hiredis never writes through it).
redisReplyObjectFunctions arenaFunctions{createString, createArray, createInteger, createNil, freeObject};

}  // namespace

redisReader* createBoundedReader() {
    redisReader* reader = redisReaderCreate();
    if (reader != nullptr) reader->fn = &arenaFunctions;
    return reader;
}

void freeReply(redisReply* root) {
    if (root == nullptr) return;
    if (Block* arena = arenaOf(root)) {
        freeArena(arena);
    } else {
        freeReplyObject(root);
    }
}

}  // namespace jkjav::redis
