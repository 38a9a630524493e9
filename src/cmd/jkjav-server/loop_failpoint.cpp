#include "loop_failpoint.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace jkjav::cmd {

#ifdef JKJAV_TEST_SEAMS
namespace {

namespace asio = boost::asio;

// The first run gets as far as its first suspension, as a loop that has done some work, then throws.
asio::awaitable<void> throwAfterStarting(std::string name) {
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    throw std::runtime_error("failpoint loops-throw-once in '" + name + "'");
}

supervision::LoopFactory throwOnce(std::string_view name, supervision::LoopFactory real) {
    return [name = std::string(name), real = std::move(real), thrown = std::make_shared<bool>(false)] {
        if (!*thrown) {
            *thrown = true;
            return throwAfterStarting(name);
        }
        return real();
    };
}

}  // namespace

supervision::Supervision loopSupervision() {
    supervision::Supervision supervision;
    const char* name = std::getenv("JKJAV_FAILPOINT");
    if (name != nullptr && name == kLoopsThrowOnce) supervision.wrap = throwOnce;
    return supervision;
}
#else
supervision::Supervision loopSupervision() { return {}; }
#endif

}  // namespace jkjav::cmd
