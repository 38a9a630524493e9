// The decisions of one pipelined Redis connection as a plain state machine: what to write and when,
// which reply belongs to whom, when a command is overdue, the AUTH/SELECT/PING handshake, when to
// reconnect and how long to wait first. No sockets, no Asio, no clock: RedisConnection feeds it
// events (with the time) and carries out the actions it answers, so every decision is testable in
// microseconds (tests/adapters/redis_connection_fsm_test.cpp).
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>

namespace jkjav::redis {

struct RedisFsmOptions {
    std::chrono::milliseconds commandTimeout{2000};
    std::chrono::milliseconds backoffInitial{50};
    std::chrono::milliseconds backoffMax{2000};
    std::size_t maxPending = 100000;
};

// What the handshake sends after every connect: AUTH when a password is set, SELECT when the
// database is not 0, ROLE when the server must be the primary (found through Sentinel, which may
// name one already demoted), and always PING (a server still loading its data answers an error there).
struct RedisLogin {
    std::string username;
    std::string password;
    int database = 0;
    bool requirePrimary = false;
};

// Appends one command in RESP (an array of bulk strings), as hiredis's redisFormatCommandArgv
// would, but into a buffer the caller reuses: no allocation once the buffer has grown.
void appendRespCommand(std::string& out, std::span<const std::string_view> args);

class RedisConnectionFsm {
  public:
    using Clock = std::chrono::steady_clock;

    enum class Phase {
        kDisconnected,  // connecting or waiting to retry: every command refused
        kHandshaking,   // socket open, login commands in flight: callers' commands refused
        kConnected,     // commands accepted
        kStopped,       // for good
    };

    // The answer to a caller's command.
    struct Submitted {
        boost::system::error_code refused;  // not_connected, or no_buffer_space over maxPending
        bool startWriter = false;           // no writer running: the connection must start one
    };

    // The answer to one reply read from the socket.
    struct ReplyAction {
        enum Kind {
            kDeliver,        // the oldest caller's reply: hand it over
            kHandshakeStep,  // a login step succeeded; nothing to do
            kNowConnected,   // the last login step succeeded: callers may send
            kClose,          // close the socket for `reason` (login refused, reply with nothing pending)
        } kind = kDeliver;
        boost::system::error_code reason;
        std::string_view step;  // kClose after a refused login step: "AUTH", "SELECT", "ROLE" or "PING"
    };

    // What the writer sends next; empty bytes: stop (nothing queued, or no socket).
    struct WriteJob {
        std::string_view bytes;
        std::uint64_t generation = 0;
    };

    // After the read loop ended: fail every caller still waiting with `reason`, then wait `backoff`
    // and connect again (unless stopped).
    struct Disconnected {
        boost::system::error_code reason;
        std::size_t callersToFail = 0;
        bool wasConnected = false;
        std::chrono::milliseconds backoff{0};
    };

    RedisConnectionFsm(RedisFsmOptions options, RedisLogin login);

    [[nodiscard]] Phase phase() const { return phase_; }
    [[nodiscard]] bool socketOpen() const {
        return phase_ == Phase::kHandshaking || phase_ == Phase::kConnected;
    }
    [[nodiscard]] bool connected() const { return phase_ == Phase::kConnected; }
    [[nodiscard]] bool stopped() const { return phase_ == Phase::kStopped; }
    [[nodiscard]] std::size_t pending() const { return deadlines_.size(); }
    [[nodiscard]] std::uint64_t generation() const { return generation_; }
    [[nodiscard]] boost::system::error_code closeReason() const { return closeReason_; }

    // A socket connected: queue the handshake. True when a writer must be started.
    bool onSocketOpen(Clock::time_point now);
    // A connect attempt failed (or timed out): how long to wait before the next one.
    std::chrono::milliseconds onConnectFailed();

    // A caller's command: queued (formatted into the output buffer) or refused at once.
    Submitted submit(std::span<const std::string_view> args, Clock::time_point now);

    // The login step the next reply answers ("AUTH", "SELECT", "ROLE", "PING"); empty once the
    // handshake is over. The caller judges a ROLE reply (roleSaysPrimary) and reports a refusal.
    [[nodiscard]] std::string_view awaitedLoginStep() const;

    // One complete reply read from the socket, oldest first. `refused`: an error reply, or a login
    // step's answer that says no (ROLE: not the primary).
    ReplyAction onReply(bool refused);

    WriteJob nextWrite();
    // A write failed: true when the socket it was for is still the current one and must be closed.
    bool onWriteFailed(std::uint64_t generation, boost::system::error_code error);

    // The watchdog's periodic look: timed_out when the oldest command is overdue (close the
    // socket for it), no error otherwise.
    [[nodiscard]] boost::system::error_code onTick(Clock::time_point now) const;

    // The socket is being closed for `reason` (the first reason of a generation is kept).
    void onClose(boost::system::error_code reason);
    // The read loop of the closed socket ended: everyone pending is failed, backoff decided.
    Disconnected onReadLoopEnded();

    // For good: the socket (if any) closes with operation_aborted.
    void stop();

  private:
    void queue(std::span<const std::string_view> args, Clock::time_point now);
    [[nodiscard]] std::string_view loginStep(std::size_t index) const;

    RedisFsmOptions options_;
    RedisLogin login_;
    Phase phase_ = Phase::kDisconnected;
    std::uint64_t generation_ = 0;
    boost::system::error_code closeReason_;
    bool wasConnected_ = false;  // this generation reached kConnected
    std::chrono::milliseconds nextBackoff_;

    // One deadline per command written or queued, oldest first; the first handshakeLeft_ of them
    // are the login steps (callers are refused until the handshake is over, so they come first).
    std::deque<Clock::time_point> deadlines_;
    std::size_t handshakeLeft_ = 0;
    std::size_t handshakeStep_ = 0;  // index into the steps of the current handshake
    std::string outgoing_;           // commands not yet handed to the writer
    std::string inFlight_;           // the bytes the writer is writing
    bool writing_ = false;
};

}  // namespace jkjav::redis
