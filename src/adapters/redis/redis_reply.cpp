#include "adapters/redis/redis_reply.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

#include "adapters/redis/redis_reader.hpp"

namespace jkjav::redis {

bool ReplyView::isError() const { return node_ != nullptr && node_->type == REDIS_REPLY_ERROR; }
bool ReplyView::isNil() const { return node_ == nullptr || node_->type == REDIS_REPLY_NIL; }
bool ReplyView::isString() const {
    return node_ != nullptr && (node_->type == REDIS_REPLY_STRING || node_->type == REDIS_REPLY_STATUS);
}
bool ReplyView::isInteger() const { return node_ != nullptr && node_->type == REDIS_REPLY_INTEGER; }
bool ReplyView::isArray() const { return node_ != nullptr && node_->type == REDIS_REPLY_ARRAY; }

std::string_view ReplyView::text() const {
    if (!isString() && !isError()) return {};
    return {node_->str, node_->len};
}

long long ReplyView::integer() const { return isInteger() ? node_->integer : 0; }

std::optional<long long> ReplyView::asInteger() const {
    if (isInteger()) return node_->integer;
    if (!isString()) return std::nullopt;
    long long value = 0;
    const auto text = this->text();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::size_t ReplyView::size() const { return isArray() ? node_->elements : 0; }

ReplyView ReplyView::operator[](std::size_t index) const {
    return ReplyView(index < size() ? node_->element[index] : nullptr);
}

RedisReply::RedisReply(redisReply* root) : root_(root) {}

void RedisReply::Free::operator()(redisReply* reply) const { freeReply(reply); }

}  // namespace jkjav::redis
