// What Sentinel and a Redis behind it answer, judged without a socket: each case is the RESP bytes
// a server would send (or the text an operator would set), named by what it is.
#include "adapters/redis/sentinel_replies.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/redis/redis_reader.hpp"
#include "case_names.hpp"

namespace jkjav::redis {
namespace {

using testing::ByLabel;
using testing::escaped;

// The reply hiredis decodes from `bytes` (one complete reply).
RedisReply decode(const std::string& bytes) {
    const std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(createBoundedReader(),
                                                                          &redisReaderFree);
    EXPECT_EQ(redisReaderFeed(reader.get(), bytes.data(), bytes.size()), REDIS_OK);
    void* raw = nullptr;
    EXPECT_EQ(redisReaderGetReply(reader.get(), &raw), REDIS_OK);
    EXPECT_NE(raw, nullptr) << "incomplete reply: " << escaped(bytes);
    return RedisReply(static_cast<redisReply*>(raw));
}

struct ReplyCase {
    std::string label;
    std::string resp;
    std::optional<HostPort> primary;  // what get-master-addr-by-name's answer names
};
void PrintTo(const ReplyCase& c, std::ostream* out) { *out << escaped(c.resp); }

class SentinelAnswer : public ::testing::TestWithParam<ReplyCase> {};

TEST_P(SentinelAnswer, NamesThePrimaryOrNothing) {
    EXPECT_EQ(primaryFromSentinelReply(decode(GetParam().resp).view()), GetParam().primary);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, SentinelAnswer,
    ::testing::Values(
        ReplyCase{"ip_and_port", "*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n", HostPort{"127.0.0.1", 6380}},
        ReplyCase{"hostname", "*2\r\n$7\r\nredis-b\r\n$4\r\n6379\r\n", HostPort{"redis-b", 6379}},
        ReplyCase{"unknown_master_nil", "*-1\r\n", std::nullopt},
        ReplyCase{"error_reply", "-ERR unknown command\r\n", std::nullopt},
        ReplyCase{"port_zero", "*2\r\n$9\r\n127.0.0.1\r\n$1\r\n0\r\n", std::nullopt},
        ReplyCase{"port_too_big", "*2\r\n$9\r\n127.0.0.1\r\n$5\r\n65536\r\n", std::nullopt},
        ReplyCase{"port_not_a_number", "*2\r\n$9\r\n127.0.0.1\r\n$3\r\nabc\r\n", std::nullopt},
        ReplyCase{"empty_host", "*2\r\n$0\r\n\r\n$4\r\n6379\r\n", std::nullopt},
        ReplyCase{"one_element", "*1\r\n$9\r\n127.0.0.1\r\n", std::nullopt},
        ReplyCase{"three_elements", "*3\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\n2\r\n", std::nullopt},
        ReplyCase{"integer_port", "*2\r\n$9\r\n127.0.0.1\r\n:6379\r\n", std::nullopt}),
    ByLabel{});

struct RoleCase {
    std::string label;
    std::string resp;
    bool primary;
};
void PrintTo(const RoleCase& c, std::ostream* out) { *out << escaped(c.resp); }

class RoleAnswer : public ::testing::TestWithParam<RoleCase> {};

TEST_P(RoleAnswer, OnlyAMasterTakesWrites) {
    EXPECT_EQ(roleSaysPrimary(decode(GetParam().resp).view()), GetParam().primary);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, RoleAnswer,
    ::testing::Values(
        RoleCase{"master_with_replica",
                 "*3\r\n$6\r\nmaster\r\n:3129659\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9001\r\n$"
                 "7\r\n3129242\r\n",
                 true},
        RoleCase{"master_alone", "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", true},
        RoleCase{"replica",
                 "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:9000\r\n$9\r\nconnected\r\n:3167038\r\n", false},
        RoleCase{"sentinel", "*2\r\n$8\r\nsentinel\r\n*1\r\n$5\r\njkjav\r\n", false},
        RoleCase{"error_reply", "-NOPERM no permission\r\n", false}, RoleCase{"empty_array", "*0\r\n", false},
        RoleCase{"status_master_not_an_array", "+master\r\n", false}),
    ByLabel{});

struct RefusalCase {
    std::string label;
    std::string resp;
    bool readOnly;
};
void PrintTo(const RefusalCase& c, std::ostream* out) { *out << escaped(c.resp); }

class WriteRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(WriteRefusal, OnlyReadOnlyMeansTheServerIsNoLongerThePrimary) {
    EXPECT_EQ(isReadOnlyRefusal(decode(GetParam().resp).view()), GetParam().readOnly);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, WriteRefusal,
    ::testing::Values(
        RefusalCase{"command", "-READONLY You can't write against a read only replica.\r\n", true},
        RefusalCase{
            "inside_a_script",
            "-READONLY You can't write against a read only replica. script: 88c9, on @user_script:1.\r\n",
            true},
        RefusalCase{"noreplicas", "-NOREPLICAS Not enough good replicas to write.\r\n", false},
        RefusalCase{"script_error_mentioning_readonly", "-ERR user_script:1: READONLY in the text\r\n",
                    false},
        RefusalCase{"status_text_readonly", "+READONLY\r\n", false},
        RefusalCase{"loading", "-LOADING Redis is loading the dataset in memory\r\n", false}),
    ByLabel{});

struct SwitchCase {
    std::string label;
    std::string payload;
    std::optional<HostPort> to;  // nullopt: not a switch-master message we can read
};
void PrintTo(const SwitchCase& c, std::ostream* out) { *out << escaped(c.payload); }

class SwitchMessage : public ::testing::TestWithParam<SwitchCase> {};

TEST_P(SwitchMessage, NamesTheNewPrimary) {
    const auto parsed = parseSwitchMaster(GetParam().payload);
    ASSERT_EQ(parsed.has_value(), GetParam().to.has_value());
    if (!parsed) return;
    EXPECT_EQ(parsed->name, "jkjav");
    EXPECT_EQ(parsed->to, *GetParam().to);
}

INSTANTIATE_TEST_SUITE_P(
    Payloads, SwitchMessage,
    ::testing::Values(SwitchCase{"ipv4", "jkjav 127.0.0.1 6379 127.0.0.1 6380", HostPort{"127.0.0.1", 6380}},
                      SwitchCase{"ipv6", "jkjav ::1 6379 ::1 6380", HostPort{"::1", 6380}},
                      SwitchCase{"four_words", "jkjav 127.0.0.1 6379 127.0.0.1", std::nullopt},
                      SwitchCase{"six_words", "jkjav 127.0.0.1 6379 127.0.0.1 6380 x", std::nullopt},
                      SwitchCase{"bad_new_port", "jkjav 127.0.0.1 6379 127.0.0.1 0", std::nullopt},
                      SwitchCase{"bad_old_port", "jkjav 127.0.0.1 x 127.0.0.1 6380", std::nullopt},
                      SwitchCase{"empty", "", std::nullopt}),
    ByLabel{});

TEST(SwitchMessage, OnlyMessagesOnTheChannelCarryAPayload) {
    const std::string channel = "+switch-master";
    const auto message = decode(
        "*3\r\n$7\r\nmessage\r\n$14\r\n+switch-master\r\n$35\r\njkjav 127.0.0.1 6379 127.0.0.1 6380\r\n");
    EXPECT_EQ(messageOnChannel(message.view(), channel), "jkjav 127.0.0.1 6379 127.0.0.1 6380");
    const auto confirmation = decode("*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n");
    EXPECT_EQ(messageOnChannel(confirmation.view(), channel), std::nullopt);
    const auto pong = decode("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    EXPECT_EQ(messageOnChannel(pong.view(), channel), std::nullopt);
    const auto otherChannel = decode("*3\r\n$7\r\nmessage\r\n$6\r\n+sdown\r\n$3\r\nabc\r\n");
    EXPECT_EQ(messageOnChannel(otherChannel.view(), channel), std::nullopt);
}

struct ListCase {
    std::string label;
    std::string text;
    std::vector<HostPort> sentinels;  // empty: refused
};
void PrintTo(const ListCase& c, std::ostream* out) { *out << escaped(c.text); }

class SentinelList : public ::testing::TestWithParam<ListCase> {};

TEST_P(SentinelList, ParsesOrSaysWhatIsWrong) {
    const auto parsed = parseSentinelList(GetParam().text);
    if (GetParam().sentinels.empty()) {
        ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
        EXPECT_NE(std::get<std::string>(parsed).find('\''), std::string::npos);  // quotes the bad item
    } else {
        ASSERT_TRUE(std::holds_alternative<std::vector<HostPort>>(parsed)) << std::get<std::string>(parsed);
        EXPECT_EQ(std::get<std::vector<HostPort>>(parsed), GetParam().sentinels);
    }
}

INSTANTIATE_TEST_SUITE_P(Settings, SentinelList,
                         ::testing::Values(ListCase{"one", "127.0.0.1:26379", {{"127.0.0.1", 26379}}},
                                           ListCase{"three_with_spaces",
                                                    "s1:26379, s2:26380 ,s3:26381",
                                                    {{"s1", 26379}, {"s2", 26380}, {"s3", 26381}}},
                                           ListCase{"ipv6_bracketed", "[::1]:26379", {{"::1", 26379}}},
                                           ListCase{"empty", "", {}}, ListCase{"no_port", "127.0.0.1", {}},
                                           ListCase{"port_zero", "127.0.0.1:0", {}},
                                           ListCase{"port_too_big", "127.0.0.1:70000", {}},
                                           ListCase{"trailing_comma", "s1:26379,", {}},
                                           ListCase{"bare_ipv6", "::1:26379", {}},
                                           ListCase{"twice", "s1:26379,s1:26379", {}},
                                           ListCase{"url_not_list", "redis://s1:26379", {}}),
                         ByLabel{});

TEST(MasterName, SentinelNamesOnly) {
    EXPECT_TRUE(isValidMasterName("jkjav"));
    EXPECT_TRUE(isValidMasterName("my-master_1.a"));
    EXPECT_FALSE(isValidMasterName(""));
    EXPECT_FALSE(isValidMasterName("two words"));
    EXPECT_FALSE(isValidMasterName("jkjav\n"));
}

// `SENTINEL REPLICAS` entries: each replica as a flat [field, value, ...] array of bulk strings.
const HostPort kA{"10.0.0.2", 6379};
const HostPort kB{"10.0.0.3", 6379};
ReplicaReport up(HostPort replica) { return {std::move(replica), false}; }
ReplicaReport down(HostPort replica) { return {std::move(replica), true}; }
// A RESP bulk string.
std::string bulk(const std::string& text) {
    return "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n";
}
std::string fields(const std::vector<std::string>& words) {
    std::string out = "*" + std::to_string(words.size()) + "\r\n";
    for (const auto& word : words) out += bulk(word);
    return out;
}

struct RepliesCase {
    std::string label;
    std::string resp;
    std::optional<std::vector<ReplicaReport>> replicas;
};
void PrintTo(const RepliesCase& c, std::ostream* out) { *out << testing::escaped(c.resp); }

class SentinelReplicas : public ::testing::TestWithParam<RepliesCase> {};

TEST_P(SentinelReplicas, ListsEachReplicaAndWhetherItIsDown) {
    EXPECT_EQ(replicasFromSentinelReply(decode(GetParam().resp).view()), GetParam().replicas);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, SentinelReplicas,
    ::testing::Values(
        RepliesCase{"none", "*0\r\n", std::vector<ReplicaReport>{}},
        RepliesCase{"one_up",
                    "*1\r\n" + fields({"name", "10.0.0.2:6379", "ip", "10.0.0.2", "port", "6379", "flags",
                                       "slave", "master-link-status", "ok"}),
                    std::vector<ReplicaReport>{up(kA)}},
        RepliesCase{"one_up_one_s_down_disconnected",
                    "*2\r\n" + fields({"ip", "10.0.0.2", "port", "6379", "flags", "slave"}) +
                        fields({"ip", "10.0.0.3", "port", "6379", "flags", "s_down,slave,disconnected"}),
                    std::vector<ReplicaReport>{up(kA), down(kB)}},
        RepliesCase{"disconnected_alone_is_not_down",
                    "*1\r\n" + fields({"ip", "10.0.0.2", "port", "6379", "flags", "slave,disconnected"}),
                    std::vector<ReplicaReport>{up(kA)}},
        RepliesCase{"flag_named_like_s_down_is_not_it",
                    "*1\r\n" + fields({"ip", "10.0.0.2", "port", "6379", "flags", "slave,s_downish"}),
                    std::vector<ReplicaReport>{up(kA)}},
        RepliesCase{"reporting_role_master_still_counts",
                    "*1\r\n" + fields({"ip", "10.0.0.2", "port", "6379", "flags", "slave", "role-reported",
                                       "master", "master-link-status", "err"}),
                    std::vector<ReplicaReport>{up(kA)}},
        RepliesCase{"link_to_primary_down_still_counts",
                    "*1\r\n" + fields({"ip", "10.0.0.2", "port", "6379", "flags", "slave", "role-reported",
                                       "slave", "master-link-status", "err"}),
                    std::vector<ReplicaReport>{up(kA)}},
        RepliesCase{"error_unknown_master", "-ERR No such master with that name\r\n", std::nullopt},
        RepliesCase{"entry_without_flags", "*1\r\n" + fields({"ip", "10.0.0.2", "port", "6379"}),
                    std::nullopt},
        RepliesCase{"port_not_a_number",
                    "*1\r\n" + fields({"ip", "10.0.0.2", "port", "63x9", "flags", "slave"}), std::nullopt},
        RepliesCase{"odd_field_count", "*1\r\n" + fields({"ip", "10.0.0.2", "port"}), std::nullopt}),
    ByLabel());

}  // namespace
}  // namespace jkjav::redis
