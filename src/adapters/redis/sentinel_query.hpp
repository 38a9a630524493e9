// Asking Sentinels where the primary is: each in turn, each bounded (connect and reply within one
// timeout), so a dead or silent Sentinel costs at most that and the next one is asked.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "adapters/redis/redis_endpoint.hpp"

namespace jkjav::redis {

// `SENTINEL get-master-addr-by-name <masterName>` asked of the Sentinels in turn, starting at
// `next`; `next` is left at the one that answered (asked first next time). nullopt when none did.
boost::asio::awaitable<std::optional<HostPort>> askSentinelsForPrimary(boost::asio::any_io_executor executor,
                                                                       const std::vector<HostPort>& sentinels,
                                                                       std::string_view masterName,
                                                                       std::chrono::milliseconds timeoutEach,
                                                                       std::size_t& next);

}  // namespace jkjav::redis
