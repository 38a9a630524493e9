// What Sentinel and a Redis behind it answer, judged without a socket: where the primary is, whether
// the server reached is the primary, a demoted primary's refusal, Sentinel's +switch-master message,
// and the REDIS_SENTINELS list. Tested in tests/adapters/sentinel_replies_test.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"

namespace jkjav::redis {

// A TCP port as Sentinel writes it ("6379"): 1..65535, digits only.
std::optional<std::uint16_t> parsePort(std::string_view text);

// `SENTINEL get-master-addr-by-name <name>` answers [ip, port]; nil when Sentinel knows no master of
// that name. nullopt for nil, an error or anything malformed.
std::optional<HostPort> primaryFromSentinelReply(ReplyView reply);

// One replica as one Sentinel sees it (an entry of `SENTINEL REPLICAS <name>`).
struct ReplicaReport {
    HostPort address;
    // Flagged s_down: no valid answer for down-after-milliseconds.
    bool down = false;
    friend bool operator==(const ReplicaReport&, const ReplicaReport&) = default;
};

// `SENTINEL REPLICAS <name>` answers an array of flat [field, value, ...] arrays; nullopt for an
// error or anything malformed.
std::optional<std::vector<ReplicaReport>> replicasFromSentinelReply(ReplyView reply);

// `ROLE` answers an array whose first element is "master", "slave" or "sentinel": only a master may
// take our writes (a Sentinel may still name a primary it has not yet seen demoted).
bool roleSaysPrimary(ReplyView reply);

// A write sent to a primary demoted to replica: "READONLY You can't write against a read only replica."
// (also from inside a script). The connection is then on the wrong server and must find the new one.
bool isReadOnlyRefusal(ReplyView reply);

// The payload of +switch-master: "<name> <old-ip> <old-port> <new-ip> <new-port>".
struct MasterSwitch {
    std::string name;
    HostPort from;
    HostPort to;
};
std::optional<MasterSwitch> parseSwitchMaster(std::string_view payload);

// A message a SUBSCRIBE connection receives: ["message", channel, payload]. nullopt for the
// subscription's confirmations and PONGs.
std::optional<std::string_view> messageOnChannel(ReplyView reply, std::string_view channel);

// "host:port,host:port" (spaces around items allowed; IPv6 as [addr]:port). An error text otherwise.
std::variant<std::vector<HostPort>, std::string> parseSentinelList(std::string_view text);

// A Sentinel master name: what sentinel.conf allows (letters, digits, '.', '-', '_'), not empty.
bool isValidMasterName(std::string_view name);

}  // namespace jkjav::redis
