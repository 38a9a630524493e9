// One synchronous Redis connection for a jkjav-admin command: connecting and every reply bounded
// by the timeout, failures answered as values (nullopt, with the reason in error()).
#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"

struct redisContext;

namespace jkjav::cmd {

class AdminSession {
  public:
    // Connects, authenticates and selects the database; the reason when it could not.
    static std::variant<std::unique_ptr<AdminSession>, std::string> open(const redis::RedisEndpoint& endpoint,
                                                                         std::chrono::milliseconds timeout);
    ~AdminSession();
    AdminSession(const AdminSession&) = delete;
    AdminSession& operator=(const AdminSession&) = delete;

    // One command and its reply (which may be a Redis error reply); nullopt when Redis did not
    // answer in time or the connection broke: the session is then of no further use.
    std::optional<redis::RedisReply> command(std::span<const std::string_view> words);
    std::optional<redis::RedisReply> command(std::initializer_list<std::string_view> words) {
        return command(std::span<const std::string_view>(words.begin(), words.size()));
    }

    // Pipelining: queue commands, then take their replies in the same order.
    void queue(std::span<const std::string_view> words);
    void queue(std::initializer_list<std::string_view> words) {
        queue(std::span<const std::string_view>(words.begin(), words.size()));
    }
    std::optional<redis::RedisReply> nextReply();

    // EVAL of a script's text: an operator's command runs once, so no script cache to manage.
    std::optional<redis::RedisReply> runScript(std::string_view source, std::size_t numKeys,
                                               std::span<const std::string_view> keysAndArgs);

    // Why the last call failed.
    [[nodiscard]] const std::string& error() const { return error_; }
    // Tells the operator that `command` failed in Redis (the error reply, or why none came) and
    // returns the exit code for it.
    int reportFailure(std::string_view command, const std::optional<redis::RedisReply>& reply) const;
    [[nodiscard]] const std::string& where() const { return where_; }

  private:
    AdminSession(redisContext* context, std::string where) : context_(context), where_(std::move(where)) {}
    redisContext* context_;
    std::string where_;  // host:port, for messages
    std::string error_;
};

}  // namespace jkjav::cmd
