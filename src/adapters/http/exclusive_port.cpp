#include "adapters/http/exclusive_port.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace jkjav::http {

boost::system::error_code probeExclusiveBind(const boost::asio::ip::tcp::endpoint& endpoint) {
    if (endpoint.port() == 0) return {};
    const int fd = ::socket(endpoint.protocol().family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return {errno, boost::system::system_category()};
    const int on = 1;
    boost::system::error_code ec;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        ::bind(fd, endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0) {
        ec.assign(errno, boost::system::system_category());
    }
    ::close(fd);
    return ec;
}

}  // namespace jkjav::http
