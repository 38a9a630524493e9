// A TCP connect with one bound on the whole of it, name resolution included: what every Redis and
// Sentinel connection of the server starts with.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>

#include "adapters/redis/redis_endpoint.hpp"

namespace jkjav::redis {

// A TCP connection to `where` within `timeout` (name resolution included); the socket, or why not.
// The deadline closes what it bounds, so nothing outlives it.
boost::asio::awaitable<boost::system::error_code> connectWithin(boost::asio::ip::tcp::socket& socket,
                                                                const HostPort& where,
                                                                std::chrono::milliseconds timeout);

}  // namespace jkjav::redis
