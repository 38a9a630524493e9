// A fixed loopback port in front of the mock cluster: librdkafka's mock brokers always listen on
// ports the kernel picks, so a restarted dev broker would be somewhere else. Clients bootstrap
// through this port; the metadata they get back names the brokers' own (changing) ports, which a
// client learns again from a fresh bootstrap.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace jkjav::devbroker {

// Accepts on `acceptor` and relays every connection, byte for byte, to `target`, until cancelled.
boost::asio::awaitable<void> forwardConnections(boost::asio::ip::tcp::acceptor& acceptor,
                                                boost::asio::ip::tcp::endpoint target);

}  // namespace jkjav::devbroker
