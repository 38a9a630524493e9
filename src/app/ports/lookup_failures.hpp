// Port: wrong phone numbers given for one person's id, counted where every server instance sees them.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string_view>

namespace jkjav::app {

class LookupFailures {
  public:
    virtual ~LookupFailures() = default;
    // Failures counted for this id in its current window (0 when none); nullopt when the store
    // is away.
    virtual boost::asio::awaitable<std::optional<long long>> count(std::string_view personId) = 0;
    // Counts one more. The first failure opens a window of `window`; the one that reaches
    // `lockAt` makes the count last `lockFor` from then on.
    virtual boost::asio::awaitable<void> record(std::string_view personId, std::chrono::seconds window,
                                                long long lockAt, std::chrono::seconds lockFor) = 0;
};

}  // namespace jkjav::app
