#include "adapters/redis/redis_connection_fsm.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <string>

namespace jkjav::redis {

namespace {

using boost::system::error_code;

// The same values as asio::error's (system category, errno), built without Asio.
error_code systemError(int value) { return {value, boost::system::system_category()}; }

std::size_t decimalDigits(std::size_t value) {
    std::size_t digits = 1;
    for (; value >= 10; value /= 10) ++digits;
    return digits;
}

// "<prefix><length>\r\n" at `out`, which has room (decimalDigits(length) + 3); returns the end.
char* putLength(char* out, char prefix, std::size_t length) {
    *out++ = prefix;
    out = std::to_chars(out, out + decimalDigits(length), length).ptr;
    *out++ = '\r';
    *out++ = '\n';
    return out;
}

}  // namespace

// Sized first, then written in place: a batch of bookings is about 400 arguments, and appending
// each piece (a capacity check and a copy each, four a argument) was 6% of a booking's
// instructions in the server (callgrind).
void appendRespCommand(std::string& out, std::span<const std::string_view> args) {
    std::size_t size = 3 + decimalDigits(args.size());
    for (const std::string_view arg : args) size += 5 + decimalDigits(arg.size()) + arg.size();
    const std::size_t start = out.size();
    out.resize(start + size);
    char* cursor = putLength(out.data() + start, '*', args.size());
    for (const std::string_view arg : args) {
        cursor = putLength(cursor, '$', arg.size());
        cursor = std::copy(arg.begin(), arg.end(), cursor);
        *cursor++ = '\r';
        *cursor++ = '\n';
    }
}

RedisConnectionFsm::RedisConnectionFsm(RedisFsmOptions options, RedisLogin login)
    : options_(options), login_(std::move(login)), nextBackoff_(options.backoffInitial) {}

std::string_view RedisConnectionFsm::loginStep(std::size_t index) const {
    if (!login_.password.empty()) {
        if (index == 0) return "AUTH";
        --index;
    }
    if (login_.database != 0) {
        if (index == 0) return "SELECT";
        --index;
    }
    if (login_.requirePrimary) {
        if (index == 0) return "ROLE";
        --index;
    }
    return "PING";
}

std::string_view RedisConnectionFsm::awaitedLoginStep() const {
    return handshakeLeft_ > 0 ? loginStep(handshakeStep_) : std::string_view{};
}

bool RedisConnectionFsm::onSocketOpen(Clock::time_point now) {
    if (phase_ == Phase::kStopped) return false;
    phase_ = Phase::kHandshaking;
    ++generation_;
    closeReason_ = {};
    wasConnected_ = false;
    outgoing_.clear();
    handshakeStep_ = 0;
    // The whole login is pipelined: a refused step closes the socket before anything after it counts.
    if (!login_.password.empty()) {
        if (login_.username.empty()) {
            const std::array<std::string_view, 2> auth{"AUTH", login_.password};
            queue(auth, now);
        } else {
            const std::array<std::string_view, 3> auth{"AUTH", login_.username, login_.password};
            queue(auth, now);
        }
    }
    if (login_.database != 0) {
        const std::string database = std::to_string(login_.database);
        const std::array<std::string_view, 2> select{"SELECT", database};
        queue(select, now);
    }
    if (login_.requirePrimary) {
        const std::array<std::string_view, 1> role{"ROLE"};
        queue(role, now);
    }
    const std::array<std::string_view, 1> ping{"PING"};
    queue(ping, now);
    handshakeLeft_ = deadlines_.size();
    if (writing_) return false;
    writing_ = true;
    return true;
}

std::chrono::milliseconds RedisConnectionFsm::onConnectFailed() {
    const auto backoff = nextBackoff_;
    nextBackoff_ = std::min(nextBackoff_ * 2, options_.backoffMax);
    return backoff;
}

RedisConnectionFsm::Submitted RedisConnectionFsm::submit(std::span<const std::string_view> args,
                                                         Clock::time_point now) {
    // Refused at once rather than queued: callers never wait behind an outage or a login.
    if (phase_ != Phase::kConnected) return {systemError(ENOTCONN), false};
    if (deadlines_.size() >= options_.maxPending) return {systemError(ENOBUFS), false};
    queue(args, now);
    if (writing_) return {};
    writing_ = true;
    return {{}, true};
}

void RedisConnectionFsm::queue(std::span<const std::string_view> args, Clock::time_point now) {
    appendRespCommand(outgoing_, args);
    deadlines_.push_back(now + options_.commandTimeout);
}

RedisConnectionFsm::ReplyAction RedisConnectionFsm::onReply(bool refused) {
    // A reply nobody asked for: the stream is out of step, nothing after it can be matched.
    if (deadlines_.empty()) return {ReplyAction::kClose, systemError(EFAULT), {}};
    deadlines_.pop_front();
    if (handshakeLeft_ == 0) return {ReplyAction::kDeliver, {}, {}};
    --handshakeLeft_;
    const std::string_view step = loginStep(handshakeStep_++);
    if (refused) return {ReplyAction::kClose, systemError(EACCES), step};
    if (handshakeLeft_ > 0) return {ReplyAction::kHandshakeStep, {}, step};
    phase_ = Phase::kConnected;
    wasConnected_ = true;
    return {ReplyAction::kNowConnected, {}, step};
}

RedisConnectionFsm::WriteJob RedisConnectionFsm::nextWrite() {
    if (!socketOpen() || outgoing_.empty()) {
        writing_ = false;
        return {};
    }
    // Everything queued since the last write goes out as one batch; the two buffers trade places
    // so both keep their capacity.
    inFlight_.swap(outgoing_);
    outgoing_.clear();
    return {inFlight_, generation_};
}

bool RedisConnectionFsm::onWriteFailed(std::uint64_t generation, boost::system::error_code) {
    // A write to a socket already replaced (reconnect while writing) says nothing about the new one.
    return generation == generation_ && socketOpen();
}

boost::system::error_code RedisConnectionFsm::onTick(Clock::time_point now) const {
    if (!deadlines_.empty() && deadlines_.front() < now) return systemError(ETIMEDOUT);
    return {};
}

void RedisConnectionFsm::onClose(boost::system::error_code reason) {
    if (socketOpen() && !closeReason_) closeReason_ = reason;
    if (phase_ != Phase::kStopped) phase_ = Phase::kDisconnected;
    outgoing_.clear();  // written to a socket that is gone; their callers are failed below
}

RedisConnectionFsm::Disconnected RedisConnectionFsm::onReadLoopEnded() {
    if (socketOpen()) onClose(systemError(ECONNRESET));
    Disconnected result;
    result.reason = closeReason_ ? closeReason_ : systemError(ECONNRESET);
    result.callersToFail = deadlines_.size() - handshakeLeft_;
    result.wasConnected = wasConnected_;
    deadlines_.clear();
    handshakeLeft_ = 0;
    wasConnected_ = false;
    // A connection that worked starts the next series of attempts from the shortest wait.
    if (result.wasConnected) nextBackoff_ = options_.backoffInitial;
    result.backoff = onConnectFailed();
    return result;
}

void RedisConnectionFsm::stop() {
    onClose(systemError(ECANCELED));
    phase_ = Phase::kStopped;
}

}  // namespace jkjav::redis
