// A raw loopback TCP connection whose every read and write has a bound (SO_RCVTIMEO/SO_SNDTIMEO),
// for tests that must tell "answered", "closed without a byte" and "hung" apart.
#pragma once

#include <chrono>
#include <string>

namespace jkjav::testing {

struct RawReply {
    enum class Kind {
        kResponse,     // a whole response arrived
        kClosedClean,  // the server closed (or reset) the connection before sending a byte of it
        kPartial,      // some bytes of a response, then the connection ended
        kTimedOut,     // nothing, or not all of it, within the bound
    };
    Kind kind = Kind::kClosedClean;
    int status = 0;
    std::string head;  // status line and headers, lower-cased names not applied
    std::string body;
    [[nodiscard]] bool closes() const;  // the response said Connection: close
};

class TimedConnection {
  public:
    // Connects to 127.0.0.1:port; connected() tells whether it worked.
    TimedConnection(int port, std::chrono::milliseconds bound);
    ~TimedConnection();
    TimedConnection(const TimedConnection&) = delete;
    TimedConnection& operator=(const TimedConnection&) = delete;

    [[nodiscard]] bool connected() const { return fd_ >= 0; }
    // Sends all of bytes; false if the connection refused them.
    bool send(const std::string& bytes);
    // Reads one response (Content-Length framed, as every jkjav response is).
    RawReply receive();
    RawReply exchange(const std::string& bytes);

  private:
    int fd_ = -1;
    std::string pending_;  // bytes read past the last response
};

}  // namespace jkjav::testing
