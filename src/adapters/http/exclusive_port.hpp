// Whether a TCP port is free for this process alone: the guard that keeps SO_REUSEPORT (which lets
// the server's own threads share one port) from letting a second server share it silently too.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace jkjav::http {

// Binds a throwaway socket to `endpoint` without SO_REUSEPORT, then closes it: address_in_use when
// another socket listens there, whether or not it set SO_REUSEPORT. SO_REUSEADDR is set, so the
// TIME_WAIT connections of a server just restarted do not count. Port 0 is always free (the kernel
// chooses). Called before the listeners bind; once they listen, a later server's probe fails, so of
// two servers started one after the other the second always refuses. (Two started within the same
// microseconds could both pass: the window is the few system calls between probe and bind.)
boost::system::error_code probeExclusiveBind(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace jkjav::http
