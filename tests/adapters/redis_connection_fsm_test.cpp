// RedisConnection's decisions without a socket: reply matching, batching, deadlines, the login,
// reconnects and backoff, refusals. Each case runs in microseconds; time is passed in.
#include "adapters/redis/redis_connection_fsm.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/error.hpp>
#include <initializer_list>
#include <string>
#include <vector>

namespace jkjav::redis {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Fsm = RedisConnectionFsm;
using Reply = Fsm::ReplyAction;

const Fsm::Clock::time_point kT0{};

RedisFsmOptions options() {
    return {.commandTimeout = 100ms, .backoffInitial = 10ms, .backoffMax = 80ms, .maxPending = 3};
}

std::string resp(std::initializer_list<std::string_view> args) {
    std::string out;
    const std::vector<std::string_view> argv(args);
    appendRespCommand(out, argv);
    return out;
}

Fsm::Submitted submit(Fsm& fsm, std::string_view key, Fsm::Clock::time_point now = kT0) {
    const std::array<std::string_view, 2> command{"INCR", key};
    return fsm.submit(command, now);
}

// Everything the writer would send now, as one string (empty when it would stop).
std::string drainWrites(Fsm& fsm) {
    std::string written;
    for (auto job = fsm.nextWrite(); !job.bytes.empty(); job = fsm.nextWrite()) written.append(job.bytes);
    return written;
}

// A connection past its (PING-only) login, writer idle.
Fsm connectedFsm(RedisFsmOptions opts = options()) {
    Fsm fsm(opts, {});
    EXPECT_TRUE(fsm.onSocketOpen(kT0));
    EXPECT_EQ(drainWrites(fsm), resp({"PING"}));
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kNowConnected);
    EXPECT_TRUE(fsm.connected());
    return fsm;
}

TEST(RedisConnectionFsm, FormatsCommandsAsRespBulkStrings) {
    std::string out;
    const std::array<std::string_view, 3> args{"SET", "k", std::string_view("a\0\r\nb", 5)};
    appendRespCommand(out, args);
    EXPECT_EQ(out, std::string("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\0\r\nb\r\n", 31));
    const std::array<std::string_view, 1> empty{""};
    appendRespCommand(out, empty);
    EXPECT_EQ(out.substr(31), "*1\r\n$0\r\n\r\n");
}

// Lengths of several digits, in the count and in the arguments (a batch has hundreds of them).
TEST(RedisConnectionFsm, FormatsLengthsOfEveryWidth) {
    const std::string big(12345, 'x');
    std::vector<std::string_view> args(11, "ab");
    args[3] = big;
    args[7] = std::string_view(big).substr(0, 100);
    args[9] = std::string_view(big).substr(0, 10);
    std::string expected = "*11\r\n";
    for (const std::string_view arg : args)
        expected += "$" + std::to_string(arg.size()) + "\r\n" + std::string(arg) + "\r\n";
    std::string out = "before";
    appendRespCommand(out, args);
    EXPECT_EQ(out, "before" + expected);
}

TEST(RedisConnectionFsm, RepliesGoToCallersInTheOrderTheyWereSent) {
    Fsm fsm = connectedFsm();
    EXPECT_FALSE(submit(fsm, "a").refused);
    EXPECT_FALSE(submit(fsm, "b").refused);
    EXPECT_EQ(fsm.pending(), 2u);
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kDeliver);
    EXPECT_EQ(fsm.onReply(true).kind, Reply::kDeliver);  // a Redis error reply is still the caller's
    EXPECT_EQ(fsm.pending(), 0u);
    EXPECT_TRUE(fsm.connected());
}

TEST(RedisConnectionFsm, WritesEverythingQueuedSinceTheLastWriteAsOneBatch) {
    auto opts = options();
    opts.maxPending = 10;
    Fsm fsm = connectedFsm(opts);
    EXPECT_TRUE(submit(fsm, "a").startWriter);   // no writer running: start one
    EXPECT_FALSE(submit(fsm, "b").startWriter);  // the running writer picks it up
    const auto first = fsm.nextWrite();
    EXPECT_EQ(first.bytes, resp({"INCR", "a"}) + resp({"INCR", "b"}));
    // Queued while the first batch is being written: the next batch, not a second writer.
    EXPECT_FALSE(submit(fsm, "c").startWriter);
    EXPECT_EQ(fsm.nextWrite().bytes, resp({"INCR", "c"}));
    EXPECT_TRUE(fsm.nextWrite().bytes.empty());  // nothing left: the writer ends
    EXPECT_TRUE(submit(fsm, "d").startWriter);   // so the next command starts one again
}

TEST(RedisConnectionFsm, AnOverdueCommandTimesOutAndFailsEveryCallerWaiting) {
    Fsm fsm = connectedFsm();
    submit(fsm, "a", kT0);
    submit(fsm, "b", kT0 + 50ms);
    EXPECT_FALSE(fsm.onTick(kT0 + 100ms));  // exactly at the deadline: not late yet
    const auto late = fsm.onTick(kT0 + 101ms);
    EXPECT_EQ(late, asio::error::timed_out);
    fsm.onClose(late);
    EXPECT_FALSE(fsm.connected());
    const auto dropped = fsm.onReadLoopEnded();
    EXPECT_EQ(dropped.reason, asio::error::timed_out);
    EXPECT_EQ(dropped.callersToFail, 2u);
    EXPECT_TRUE(dropped.wasConnected);
    EXPECT_EQ(fsm.pending(), 0u);
    EXPECT_FALSE(fsm.onTick(kT0 + 10s));  // nothing pending: nothing late
}

TEST(RedisConnectionFsm, TheDeadlineFollowsTheOldestCommandStillPending) {
    Fsm fsm = connectedFsm();
    submit(fsm, "a", kT0);
    submit(fsm, "b", kT0 + 80ms);
    fsm.onReply(false);
    EXPECT_FALSE(fsm.onTick(kT0 + 150ms));  // "a" answered; "b" has until 180 ms
    EXPECT_EQ(fsm.onTick(kT0 + 181ms), asio::error::timed_out);
}

TEST(RedisConnectionFsm, AReconnectWhileWritingSendsTheNewLoginOnceAndNothingOld) {
    Fsm fsm = connectedFsm();
    submit(fsm, "a");
    const auto oldWrite = fsm.nextWrite();  // the writer is now suspended on this write
    ASSERT_FALSE(oldWrite.bytes.empty());
    submit(fsm, "b");  // queued behind it, never written
    fsm.onClose(asio::error::connection_reset);
    const auto dropped = fsm.onReadLoopEnded();
    EXPECT_EQ(dropped.callersToFail, 2u);
    EXPECT_EQ(dropped.reason, asio::error::connection_reset);

    // Reconnected before the old write completed: its writer is still running, so no second one.
    EXPECT_FALSE(fsm.onSocketOpen(kT0 + 1s));
    EXPECT_NE(fsm.generation(), oldWrite.generation);
    // The old write fails on the closed socket: that says nothing about the new one.
    EXPECT_FALSE(fsm.onWriteFailed(oldWrite.generation, asio::error::operation_aborted));
    EXPECT_TRUE(fsm.socketOpen());
    EXPECT_EQ(drainWrites(fsm), resp({"PING"}));  // the same writer goes on with the new login only
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kNowConnected);
    // A failed write on the current socket does close it.
    submit(fsm, "c");
    const auto current = fsm.nextWrite();
    EXPECT_TRUE(fsm.onWriteFailed(current.generation, asio::error::broken_pipe));
}

TEST(RedisConnectionFsm, AReplyWithNothingPendingIsAProtocolErrorThatDropsTheConnection) {
    Fsm fsm = connectedFsm();
    const auto action = fsm.onReply(false);
    EXPECT_EQ(action.kind, Reply::kClose);
    EXPECT_EQ(action.reason, asio::error::fault);
    EXPECT_TRUE(action.step.empty());
    fsm.onClose(action.reason);
    EXPECT_EQ(fsm.onReadLoopEnded().reason, asio::error::fault);
}

TEST(RedisConnectionFsm, BackoffDoublesUpToItsCapAndStartsOverAfterAWorkingConnection) {
    Fsm fsm(options(), {});
    std::vector<long> waits;
    for (int i = 0; i < 6; ++i) waits.push_back(fsm.onConnectFailed().count());
    EXPECT_EQ(waits, (std::vector<long>{10, 20, 40, 80, 80, 80}));

    // A socket that opens but never logs in does not reset the series...
    fsm.onSocketOpen(kT0);
    fsm.onClose(asio::error::eof);
    EXPECT_EQ(fsm.onReadLoopEnded().backoff, 80ms);
    // ...a connection that worked does.
    fsm.onSocketOpen(kT0);
    drainWrites(fsm);
    ASSERT_EQ(fsm.onReply(false).kind, Reply::kNowConnected);
    fsm.onClose(asio::error::eof);
    EXPECT_EQ(fsm.onReadLoopEnded().backoff, 10ms);
    EXPECT_EQ(fsm.onConnectFailed(), 20ms);
}

TEST(RedisConnectionFsm, TheLoginSendsAuthSelectAndPingInOneBatch) {
    Fsm fsm(options(), {.username = "app", .password = "s3cret", .database = 2});
    EXPECT_TRUE(fsm.onSocketOpen(kT0));
    EXPECT_EQ(fsm.phase(), Fsm::Phase::kHandshaking);
    EXPECT_EQ(drainWrites(fsm), resp({"AUTH", "app", "s3cret"}) + resp({"SELECT", "2"}) + resp({"PING"}));
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kHandshakeStep);
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kHandshakeStep);
    EXPECT_FALSE(fsm.connected());
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kNowConnected);
    EXPECT_TRUE(fsm.connected());

    Fsm passwordOnly(options(), {.password = "s3cret"});
    passwordOnly.onSocketOpen(kT0);
    EXPECT_EQ(drainWrites(passwordOnly), resp({"AUTH", "s3cret"}) + resp({"PING"}));
}

TEST(RedisConnectionFsm, APrimaryFoundThroughSentinelIsCheckedWithRoleBeforeCallersMaySend) {
    Fsm fsm(options(), {.password = "s3cret", .requirePrimary = true});
    fsm.onSocketOpen(kT0);
    EXPECT_EQ(drainWrites(fsm), resp({"AUTH", "s3cret"}) + resp({"ROLE"}) + resp({"PING"}));
    EXPECT_EQ(fsm.awaitedLoginStep(), "AUTH");
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kHandshakeStep);
    EXPECT_EQ(fsm.awaitedLoginStep(), "ROLE");
    // ROLE answered "slave": the Sentinel named a demoted primary; close, back off, ask again.
    const auto refused = fsm.onReply(true);
    EXPECT_EQ(refused.kind, Reply::kClose);
    EXPECT_EQ(refused.step, "ROLE");
    fsm.onClose(refused.reason);
    EXPECT_FALSE(fsm.connected());
    const auto dropped = fsm.onReadLoopEnded();
    EXPECT_FALSE(dropped.wasConnected);
    EXPECT_EQ(dropped.backoff, 10ms);
    EXPECT_EQ(fsm.onConnectFailed(), 20ms);  // the backoff keeps growing: not a connection that worked

    // The next one is the primary.
    fsm.onSocketOpen(kT0);
    drainWrites(fsm);
    fsm.onReply(false);
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kHandshakeStep);
    EXPECT_EQ(fsm.onReply(false).kind, Reply::kNowConnected);
    EXPECT_EQ(fsm.awaitedLoginStep(), "");
}

TEST(RedisConnectionFsm, ARefusedLoginClosesTheSocketAndNeverConnects) {
    Fsm fsm(options(), {.password = "guess"});
    fsm.onSocketOpen(kT0);
    drainWrites(fsm);
    const auto refused = fsm.onReply(true);  // -WRONGPASS
    EXPECT_EQ(refused.kind, Reply::kClose);
    EXPECT_EQ(refused.reason, asio::error::access_denied);
    EXPECT_EQ(refused.step, "AUTH");
    fsm.onClose(refused.reason);
    EXPECT_FALSE(fsm.connected());
    EXPECT_EQ(submit(fsm, "a").refused, asio::error::not_connected);
    const auto dropped = fsm.onReadLoopEnded();
    EXPECT_EQ(dropped.callersToFail, 0u);  // the login's own commands were nobody's
    EXPECT_FALSE(dropped.wasConnected);

    Fsm loading(options(), {});
    loading.onSocketOpen(kT0);
    drainWrites(loading);
    EXPECT_EQ(loading.onReply(true).step, "PING");  // -LOADING: try again later
}

TEST(RedisConnectionFsm, CommandsWhileNotConnectedAreRefusedAtOnceAndNeverQueued) {
    Fsm fsm(options(), {});
    EXPECT_EQ(submit(fsm, "before-connect").refused, asio::error::not_connected);
    fsm.onSocketOpen(kT0);
    EXPECT_EQ(submit(fsm, "during-login").refused, asio::error::not_connected);
    EXPECT_EQ(drainWrites(fsm), resp({"PING"}));  // only the login went out
    fsm.onReply(false);
    fsm.onClose(asio::error::eof);
    EXPECT_EQ(submit(fsm, "after-drop").refused, asio::error::not_connected);
    EXPECT_EQ(fsm.pending(), 0u);
    fsm.onReadLoopEnded();
    fsm.stop();
    EXPECT_EQ(submit(fsm, "after-stop").refused, asio::error::not_connected);
    EXPECT_FALSE(fsm.onSocketOpen(kT0));  // a connect that raced stop() is not used
    EXPECT_FALSE(fsm.socketOpen());
}

TEST(RedisConnectionFsm, CommandsOverMaxPendingAreRefusedUntilRepliesComeBack) {
    Fsm fsm = connectedFsm();  // maxPending = 3
    for (const char* key : {"a", "b", "c"}) EXPECT_FALSE(submit(fsm, key).refused) << key;
    EXPECT_EQ(submit(fsm, "d").refused, asio::error::no_buffer_space);
    fsm.onReply(false);
    EXPECT_FALSE(submit(fsm, "d").refused);
}

TEST(RedisConnectionFsm, StopFailsEveryCallerWaitingWithOperationAborted) {
    Fsm fsm = connectedFsm();
    submit(fsm, "a");
    fsm.stop();
    EXPECT_TRUE(fsm.stopped());
    EXPECT_TRUE(fsm.nextWrite().bytes.empty());
    const auto dropped = fsm.onReadLoopEnded();
    EXPECT_EQ(dropped.reason, asio::error::operation_aborted);
    EXPECT_EQ(dropped.callersToFail, 1u);
}

}  // namespace
}  // namespace jkjav::redis
