#include "adapters/redis/redis_script.hpp"

#include <array>
#include <boost/container/small_vector.hpp>

namespace jkjav::redis {

boost::asio::awaitable<bool> RedisScript::load(RedisConnection& connection) {
    const std::array<std::string_view, 3> command{"SCRIPT", "LOAD", source_};
    auto result = co_await connection.executeArgv(command);
    if (!result || !result->view().isString()) co_return false;
    sha_ = result->view().text();
    co_return true;
}

boost::asio::awaitable<bool> RedisScript::prepare(RedisConnection& connection) {
    if (!sha_.empty()) co_return true;
    co_return co_await load(connection);
}

bool RedisScript::isNoScript(const RedisResult& result) {
    return result && result->view().isError() && result->view().text().starts_with("NOSCRIPT");
}

boost::asio::awaitable<RedisResult> RedisScript::run(RedisConnection& connection, std::size_t numKeys,
                                                     std::span<const std::string_view> keysAndArgs) {
    const std::string numKeysText = std::to_string(numKeys);
    boost::container::small_vector<std::string_view, 24> argv;  // on the stack for every script jkjav runs
    argv.push_back("EVALSHA");
    argv.push_back("");  // the sha, filled in below
    argv.push_back(numKeysText);
    argv.insert(argv.end(), keysAndArgs.begin(), keysAndArgs.end());

    for (int attempt = 0; attempt < 2; ++attempt) {
        if (sha_.empty() && !co_await load(connection)) {
            co_return boost::system::error_code(boost::asio::error::not_connected);
        }
        argv[1] = sha_;
        auto result = co_await connection.executeArgv(argv);
        if (isNoScript(result)) {
            sha_.clear();
            continue;
        }
        co_return result;
    }
    co_return boost::system::error_code(boost::asio::error::not_connected);
}

}  // namespace jkjav::redis
