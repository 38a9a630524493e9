// The Sentinel majority's verdict on which replicas a write must reach (ack_quorum.hpp), judged
// without a socket: each case is what three Sentinels answered, named by the situation it is.
#include "adapters/redis/ack_quorum.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "case_names.hpp"

namespace jkjav::redis {
namespace {

using namespace std::chrono_literals;
using testing::ByLabel;

const HostPort kP{"10.0.0.1", 6379};
const HostPort kA{"10.0.0.2", 6379};
const HostPort kB{"10.0.0.3", 6379};

SentinelReport sees(HostPort primary, std::vector<ReplicaReport> replicas) {
    return SentinelReport{std::move(primary), std::move(replicas)};
}
ReplicaReport up(HostPort replica) { return {std::move(replica), false}; }
ReplicaReport down(HostPort replica) { return {std::move(replica), true}; }

struct VerdictCase {
    std::string label;
    std::vector<std::optional<SentinelReport>> reports;  // one per Sentinel; nullopt: no answer
    int floor = 1;
    std::optional<AckVerdict> verdict;
    std::vector<HostPort> heard = {};  // the replicas the primary hears from
};
void PrintTo(const VerdictCase& c, std::ostream* out) { *out << c.label; }

class Verdict : public ::testing::TestWithParam<VerdictCase> {};

TEST_P(Verdict, WaitsForEveryReplicaAMajorityHoldsAlive) {
    EXPECT_EQ(decideAck(GetParam().reports, GetParam().heard, GetParam().floor), GetParam().verdict);
}

INSTANTIATE_TEST_SUITE_P(
    Sentinels, Verdict,
    ::testing::Values(
        VerdictCase{"all_agree_both_replicas_up",
                    {sees(kP, {up(kA), up(kB)}), sees(kP, {up(kA), up(kB)}), sees(kP, {up(kA), up(kB)})},
                    1,
                    AckVerdict{kP, 2, {}}},
        VerdictCase{"one_sentinel_silent_two_agree",
                    {std::nullopt, sees(kP, {up(kA), up(kB)}), sees(kP, {up(kA), up(kB)})},
                    1,
                    AckVerdict{kP, 2, {}}},
        // The split of issue 22: the minority side's one Sentinel holds B down; B stays waited for.
        VerdictCase{"one_sentinel_of_three_says_replica_down",
                    {sees(kP, {up(kA), down(kB)}), std::nullopt, std::nullopt},
                    1,
                    std::nullopt},
        VerdictCase{"only_one_of_two_answering_says_down",
                    {sees(kP, {up(kA), down(kB)}), sees(kP, {up(kA), up(kB)}), std::nullopt},
                    1,
                    AckVerdict{kP, 2, {}}},
        VerdictCase{"majority_says_replica_down",
                    {sees(kP, {up(kA), down(kB)}), sees(kP, {up(kA), down(kB)}), sees(kP, {up(kA), up(kB)})},
                    1,
                    AckVerdict{kP, 1, {kB}}},
        VerdictCase{"a_replica_only_one_sentinel_knows_is_waited_for",
                    {sees(kP, {up(kA)}), sees(kP, {up(kA)}), sees(kP, {up(kA), up(kB)})},
                    1,
                    AckVerdict{kP, 2, {}}},
        // After a failover to A: the old primary is listed as A's replica, down while it stays dead.
        VerdictCase{
            "old_primary_dead_after_failover",
            {sees(kA, {up(kB), down(kP)}), sees(kA, {up(kB), down(kP)}), sees(kA, {up(kB), down(kP)})},
            1,
            AckVerdict{kA, 1, {kP}}},
        VerdictCase{"every_replica_down_floor_still_one",
                    {sees(kP, {down(kA), down(kB)}), sees(kP, {down(kA), down(kB)}), std::nullopt},
                    1,
                    AckVerdict{kP, 1, {kA, kB}}},
        VerdictCase{"floor_above_the_alive_count",
                    {sees(kP, {up(kA), down(kB)}), sees(kP, {up(kA), down(kB)}), std::nullopt},
                    2,
                    AckVerdict{kP, 2, {kB}}},
        VerdictCase{"sentinels_name_different_primaries",
                    {sees(kP, {up(kA), up(kB)}), sees(kB, {down(kP), down(kA)}), std::nullopt},
                    1,
                    std::nullopt},
        // Mid-failover: two of three already follow B; their replica list is B's.
        VerdictCase{"two_of_three_switched",
                    {sees(kP, {up(kA), up(kB)}), sees(kB, {down(kP), up(kA)}), sees(kB, {down(kP), up(kA)})},
                    1,
                    AckVerdict{kB, 1, {kP}}},
        // A cut that leaves the primary streaming to A while the Sentinel majority holds A down (and
        // cannot see B's link is fine): A still counts, so WAIT cannot take A's ack for B's.
        VerdictCase{"majority_holds_down_a_replica_the_primary_still_hears",
                    {sees(kP, {down(kA), up(kB)}), sees(kP, {down(kA), up(kB)}), std::nullopt},
                    1,
                    AckVerdict{kP, 2, {}},
                    {kA}},
        VerdictCase{"replica_only_the_primary_knows_of",
                    {sees(kP, {up(kA)}), sees(kP, {up(kA)}), std::nullopt},
                    1,
                    AckVerdict{kP, 2, {}},
                    {kA, kB}},
        VerdictCase{"primary_hears_no_one_and_majority_holds_both_down",
                    {sees(kP, {down(kA), down(kB)}), sees(kP, {down(kA), down(kB)}), std::nullopt},
                    1,
                    AckVerdict{kP, 1, {kA, kB}},
                    {}},
        VerdictCase{"no_sentinel_answers", {std::nullopt, std::nullopt, std::nullopt}, 1, std::nullopt},
        VerdictCase{"primary_listed_among_its_own_replicas_is_ignored",
                    {sees(kP, {up(kP), up(kA)}), sees(kP, {up(kA)}), std::nullopt},
                    1,
                    AckVerdict{kP, 1, {}}},
        VerdictCase{"five_sentinels_two_say_down_is_no_majority",
                    {sees(kP, {up(kA), down(kB)}), sees(kP, {up(kA), down(kB)}), sees(kP, {up(kA), up(kB)}),
                     std::nullopt, std::nullopt},
                    1,
                    AckVerdict{kP, 2, {}}}),
    ByLabel());

struct InfoCase {
    std::string label;
    std::string info;
    std::vector<HostPort> heard;
};
void PrintTo(const InfoCase& c, std::ostream* out) { *out << testing::escaped(c.info); }

class PrimaryInfo : public ::testing::TestWithParam<InfoCase> {};

TEST_P(PrimaryInfo, HearsOnlineReplicasThatAcknowledgedLately) {
    EXPECT_EQ(replicasHeardFrom(GetParam().info, 2), GetParam().heard);
}

INSTANTIATE_TEST_SUITE_P(
    Info, PrimaryInfo,
    ::testing::Values(
        InfoCase{"two_online",
                 "# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
                 "slave0:ip=10.0.0.2,port=6379,state=online,offset=42,lag=0\r\n"
                 "slave1:ip=10.0.0.3,port=6379,state=online,offset=42,lag=1\r\nmaster_repl_offset:42\r\n",
                 {kA, kB}},
        InfoCase{"lag_over_the_bound",
                 "slave0:ip=10.0.0.2,port=6379,state=online,offset=42,lag=0\r\n"
                 "slave1:ip=10.0.0.3,port=6379,state=online,offset=40,lag=3\r\n",
                 {kA}},
        InfoCase{"still_syncing", "slave0:ip=10.0.0.2,port=6379,state=wait_bgsave,offset=0,lag=0\r\n", {}},
        InfoCase{"no_replicas", "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n", {}},
        InfoCase{"slave_read_only_is_not_a_replica_line", "slave_read_only:1\r\nslave_priority:100\r\n", {}},
        InfoCase{"lag_not_a_number", "slave0:ip=10.0.0.2,port=6379,state=online,offset=42,lag=x\r\n", {}},
        InfoCase{
            "without_carriage_returns", "slave0:ip=10.0.0.2,port=6379,state=online,offset=1,lag=2\n", {kA}}),
    ByLabel());

TEST(AckLease, AnswersOnlyForTheNamedPrimaryUntilItEnds) {
    AckLease lease;
    const auto now = AckLease::Clock::now();
    EXPECT_EQ(lease.replicasFor(kP, now), std::nullopt) << "no verdict yet";
    lease.grant(AckVerdict{kP, 2, {}}, now + 1s);
    EXPECT_EQ(lease.replicasFor(kP, now), 2);
    EXPECT_EQ(lease.replicasFor(kA, now), std::nullopt) << "a server the verdict does not name";
    EXPECT_EQ(lease.replicasFor(kP, now + 1s), std::nullopt) << "the lease ended";
    lease.grant(AckVerdict{kA, 1, {kP}}, now + 2s);
    EXPECT_EQ(lease.replicasFor(kA, now + 1s), 1);
    EXPECT_EQ(lease.replicasFor(kP, now + 1s), std::nullopt) << "the old primary, after a failover";
}

}  // namespace
}  // namespace jkjav::redis
