#include "admin_session.hpp"

#include <hiredis/hiredis.h>

#include <vector>

#include "adapters/redis/sentinel_replies.hpp"
#include "exit_codes.hpp"

namespace jkjav::cmd {

namespace {

timeval toTimeval(std::chrono::milliseconds timeout) {
    return timeval{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
}

// The primary of `endpoint.masterName` as the first Sentinel that knows answers, each asked within
// `timeout`; why not, naming every Sentinel, when none does.
std::variant<redis::HostPort, std::string> askSentinels(const redis::RedisEndpoint& endpoint,
                                                        std::chrono::milliseconds timeout) {
    std::string why;
    for (const auto& sentinel : endpoint.sentinels) {
        const std::string where = sentinel.host + ":" + std::to_string(sentinel.port);
        redisContext* context =
            redisConnectWithTimeout(sentinel.host.c_str(), sentinel.port, toTimeval(timeout));
        if (context == nullptr || context->err != 0) {
            why += "; " + where + ": " + (context != nullptr ? context->errstr : "out of memory");
            if (context != nullptr) redisFree(context);
            continue;
        }
        redisSetTimeout(context, toTimeval(timeout));
        auto* raw = static_cast<redisReply*>(
            redisCommand(context, "SENTINEL get-master-addr-by-name %s", endpoint.masterName.c_str()));
        const std::string ioError = raw == nullptr ? context->errstr : "";
        redisFree(context);
        const redis::RedisReply reply(raw);
        if (auto primary = redis::primaryFromSentinelReply(reply.view())) return *primary;
        why += "; " + where + ": " +
               (raw == nullptr ? ioError : "knows no primary '" + endpoint.masterName + "'");
    }
    return "no Sentinel named the primary '" + endpoint.masterName + "'" + why;
}

}  // namespace

std::variant<std::unique_ptr<AdminSession>, std::string> AdminSession::open(
    const redis::RedisEndpoint& given, std::chrono::milliseconds timeout) {
    redis::RedisEndpoint endpoint = given;
    if (!endpoint.sentinels.empty()) {
        auto primary = askSentinels(endpoint, timeout);
        if (auto* why = std::get_if<std::string>(&primary)) return *why;
        endpoint.host = std::get<redis::HostPort>(primary).host;
        endpoint.port = std::get<redis::HostPort>(primary).port;
    }
    const std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
    redisContext* context = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, toTimeval(timeout));
    if (context == nullptr || context->err != 0) {
        std::string why = context != nullptr ? context->errstr : "out of memory";
        if (context != nullptr) redisFree(context);
        return "cannot reach Redis at " + where + ": " + why;
    }
    redisSetTimeout(context, toTimeval(timeout));
    std::unique_ptr<AdminSession> session(new AdminSession(context, where));
    if (!endpoint.password.empty()) {
        const auto auth = endpoint.username.empty()
                              ? session->command({"AUTH", endpoint.password})
                              : session->command({"AUTH", endpoint.username, endpoint.password});
        if (!auth) return "Redis at " + where + " did not answer AUTH: " + session->error();
        if (auth->view().isError())
            return "Redis at " + where + " refused AUTH: " + std::string(auth->view().text());
    }
    // PING even without AUTH or SELECT: a port that accepts but never answers fails here, bounded.
    const auto ping = endpoint.database != 0 ? session->command({"SELECT", std::to_string(endpoint.database)})
                                             : session->command({"PING"});
    if (!ping) return "Redis at " + where + " did not answer: " + session->error();
    if (ping->view().isError()) return "Redis at " + where + ": " + std::string(ping->view().text());
    if (!endpoint.sentinels.empty()) {
        // A Sentinel may name a primary already demoted: a command meant for the primary must not
        // land on a replica (writes refused, reads stale).
        const auto role = session->command({"ROLE"});
        if (!role) return "Redis at " + where + " did not answer ROLE: " + session->error();
        if (!redis::roleSaysPrimary(role->view())) {
            return "Redis at " + where +
                   ", named by Sentinel, is not the primary (a failover under way?); retry";
        }
    }
    return session;
}

AdminSession::~AdminSession() { redisFree(context_); }

void AdminSession::queue(std::span<const std::string_view> words) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(words.size());
    lengths.reserve(words.size());
    for (const auto word : words) {
        argv.push_back(word.data());
        lengths.push_back(word.size());
    }
    redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data());
}

std::optional<redis::RedisReply> AdminSession::nextReply() {
    void* reply = nullptr;
    if (redisGetReply(context_, &reply) != REDIS_OK || reply == nullptr) {
        error_ = context_->err != 0 ? context_->errstr : "no reply";
        if (context_->err == REDIS_ERR_IO && error_.find("temporarily") != std::string::npos) {
            error_ = "no reply within the timeout";
        }
        return std::nullopt;
    }
    return redis::RedisReply(static_cast<redisReply*>(reply));
}

std::optional<redis::RedisReply> AdminSession::command(std::span<const std::string_view> words) {
    queue(words);
    return nextReply();
}

std::optional<redis::RedisReply> AdminSession::runScript(std::string_view source, std::size_t numKeys,
                                                         std::span<const std::string_view> keysAndArgs) {
    const std::string keyCount = std::to_string(numKeys);
    std::vector<std::string_view> words{"EVAL", source, keyCount};
    words.insert(words.end(), keysAndArgs.begin(), keysAndArgs.end());
    return command(words);
}

int AdminSession::reportFailure(std::string_view command,
                                const std::optional<redis::RedisReply>& reply) const {
    const std::string why = reply ? std::string(reply->view().text()) : error_;
    std::fprintf(stderr, "jkjav-admin %.*s: Redis at %s failed: %s\n", static_cast<int>(command.size()),
                 command.data(), where_.c_str(), why.c_str());
    return kExitFailed;
}

}  // namespace jkjav::cmd
