#include "adapters/redis/redis_lookup_failures.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <string>

#include "domain/person_id.hpp"

namespace jkjav::embedded {
extern const std::string_view kLookupFailLua;
}

namespace jkjav::redis {

RedisLookupFailures::RedisLookupFailures(std::shared_ptr<RedisConnection> connection, RedisKeys keys)
    : connection_(std::move(connection)), keys_(std::move(keys)), recordScript_(embedded::kLookupFailLua) {}

boost::asio::awaitable<std::optional<long long>> RedisLookupFailures::count(std::string_view personId) {
    const std::string key = keys_.lookupFailures(personId);
    const std::array<std::string_view, 2> command{"GET", key};
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result || result->view().isError()) co_return std::nullopt;
    if (result->view().isNil()) co_return 0;
    co_return result->view().asInteger();
}

boost::asio::awaitable<void> RedisLookupFailures::record(std::string_view personId,
                                                         std::chrono::seconds window, long long lockAt,
                                                         std::chrono::seconds lockFor) {
    const std::string key = keys_.lookupFailures(personId);
    const std::string windowMs = std::to_string(std::chrono::milliseconds(window).count());
    const std::string lockAtText = std::to_string(lockAt);
    const std::string lockMs = std::to_string(std::chrono::milliseconds(lockFor).count());
    const std::array<std::string_view, 4> keysAndArgs{key, windowMs, lockAtText, lockMs};
    const RedisResult result = co_await recordScript_.run(*connection_, 1, keysAndArgs);
    // Not counted when the store is away: the lookup itself failed then, so nothing was guessed.
    if (result && result->view().isError())
        spdlog::error("lookup_fail.lua failed: {}", domain::maskPersonalInText(result->view().text()));
}

}  // namespace jkjav::redis
