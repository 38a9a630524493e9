// A decoded Redis reply: an owning handle on hiredis's reply tree with read-only views into it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

struct redisReply;

namespace jkjav::redis {

// A non-owning look at one node of a reply tree; valid while its RedisReply lives.
class ReplyView {
  public:
    explicit ReplyView(const redisReply* node) : node_(node) {}

    [[nodiscard]] bool isError() const;
    [[nodiscard]] bool isNil() const;
    [[nodiscard]] bool isString() const;  // bulk or simple string
    [[nodiscard]] bool isInteger() const;
    [[nodiscard]] bool isArray() const;

    [[nodiscard]] std::string_view text() const;  // strings and errors; empty otherwise
    [[nodiscard]] long long integer() const;
    // An integer reply, or a string holding one (HGET answers counters as strings).
    [[nodiscard]] std::optional<long long> asInteger() const;
    [[nodiscard]] std::size_t size() const;  // array length
    [[nodiscard]] ReplyView operator[](std::size_t index) const;

  private:
    const redisReply* node_;
};

class RedisReply {
  public:
    RedisReply() = default;
    explicit RedisReply(redisReply* root);  // takes ownership
    [[nodiscard]] ReplyView view() const { return ReplyView(root_.get()); }

  private:
    struct Free {
        void operator()(redisReply* reply) const;
    };
    std::unique_ptr<redisReply, Free> root_;
};

}  // namespace jkjav::redis
