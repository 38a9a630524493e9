#include "timed_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace jkjav::testing {

namespace {

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// The value of a header in a response head, or "" (names compared without case).
std::string headerValue(const std::string& head, const std::string& lowerName) {
    const std::string lower = lowerCase(head);
    const auto at = lower.find("\r\n" + lowerName + ":");
    if (at == std::string::npos) return "";
    const auto start = at + 3 + lowerName.size();
    const auto end = lower.find("\r\n", start);
    std::string value = lower.substr(start, end - start);
    value.erase(0, value.find_first_not_of(' '));
    return value;
}

}  // namespace

bool RawReply::closes() const { return headerValue(head, "connection") == "close"; }

TimedConnection::TimedConnection(int port, std::chrono::milliseconds bound) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return;
    timeval timeout{};
    timeout.tv_sec = bound.count() / 1000;
    timeout.tv_usec = (bound.count() % 1000) * 1000;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return;
    }
    fd_ = fd;
}

TimedConnection::~TimedConnection() {
    if (fd_ >= 0) close(fd_);
}

bool TimedConnection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

RawReply TimedConnection::receive() {
    RawReply reply;
    std::string data = std::move(pending_);
    pending_.clear();
    std::size_t needed = std::string::npos;  // total bytes of this response, once the head is in
    char chunk[4096];
    for (;;) {
        if (needed == std::string::npos) {
            const auto end = data.find("\r\n\r\n");
            if (end != std::string::npos) {
                reply.head = data.substr(0, end + 2);
                const std::string length = headerValue(reply.head, "content-length");
                needed = end + 4 + (length.empty() ? 0 : std::strtoul(length.c_str(), nullptr, 10));
            }
        }
        if (needed != std::string::npos && data.size() >= needed) break;
        const auto n = recv(fd_, chunk, sizeof chunk, 0);
        if (n > 0) {
            data.append(chunk, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            reply.kind = RawReply::Kind::kTimedOut;
        } else {
            reply.kind = data.empty() ? RawReply::Kind::kClosedClean : RawReply::Kind::kPartial;
        }
        return reply;
    }
    reply.kind = RawReply::Kind::kResponse;
    reply.status = std::atoi(reply.head.substr(reply.head.find(' ') + 1, 3).c_str());
    const auto bodyStart = reply.head.size() + 2;
    reply.body = data.substr(bodyStart, needed - bodyStart);
    pending_ = data.substr(needed);
    return reply;
}

RawReply TimedConnection::exchange(const std::string& bytes) {
    if (!send(bytes)) return RawReply{};
    return receive();
}

}  // namespace jkjav::testing
