#include "adapters/redis/ack_quorum.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "adapters/redis/sentinel_replies.hpp"

namespace jkjav::redis {

namespace {

std::size_t majorityOf(std::size_t total) { return total / 2 + 1; }

std::optional<long> parseSeconds(std::string_view text) {
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::optional<AckVerdict> decideAck(std::span<const std::optional<SentinelReport>> reports,
                                    std::span<const HostPort> heardByPrimary, int floor) {
    const std::size_t majority = majorityOf(reports.size());
    // The primary a majority names, if any (two different ones can't both have a majority).
    const SentinelReport* named = nullptr;
    for (const auto& report : reports) {
        if (!report) continue;
        const auto agreeing = std::count_if(reports.begin(), reports.end(), [&](const auto& other) {
            return other && other->primary == report->primary;
        });
        if (static_cast<std::size_t>(agreeing) >= majority) {
            named = &*report;
            break;
        }
    }
    if (named == nullptr) return std::nullopt;

    AckVerdict verdict{.primary = named->primary, .replicas = 0, .excluded = {}};
    std::vector<HostPort> known(heardByPrimary.begin(), heardByPrimary.end());
    std::erase(known, named->primary);
    for (const auto& report : reports) {
        if (!report || report->primary != named->primary) continue;
        for (const auto& replica : report->replicas) {
            if (replica.address != named->primary &&
                std::find(known.begin(), known.end(), replica.address) == known.end()) {
                known.push_back(replica.address);
            }
        }
    }
    int alive = 0;
    for (const auto& replica : known) {
        const auto downVotes = std::count_if(reports.begin(), reports.end(), [&](const auto& report) {
            return report && report->primary == named->primary &&
                   std::find(report->replicas.begin(), report->replicas.end(),
                             ReplicaReport{replica, true}) != report->replicas.end();
        });
        const bool heard =
            std::find(heardByPrimary.begin(), heardByPrimary.end(), replica) != heardByPrimary.end();
        if (static_cast<std::size_t>(downVotes) >= majority && !heard) {
            verdict.excluded.push_back(replica);
        } else {
            ++alive;
        }
    }
    verdict.replicas = std::max(alive, floor);
    return verdict;
}

std::vector<HostPort> replicasHeardFrom(std::string_view infoReplication, int maxLagSeconds) {
    std::vector<HostPort> heard;
    while (!infoReplication.empty()) {
        const auto end = infoReplication.find('\n');
        std::string_view line = infoReplication.substr(0, end);
        infoReplication.remove_prefix(end == std::string_view::npos ? infoReplication.size() : end + 1);
        if (line.ends_with('\r')) line.remove_suffix(1);
        const auto colon = line.find(':');
        if (!line.starts_with("slave") || colon == std::string_view::npos) continue;
        std::string_view ip, state;
        std::optional<std::uint16_t> port;
        std::optional<long> lag;
        std::string_view fields = line.substr(colon + 1);
        while (!fields.empty()) {
            const auto comma = fields.find(',');
            const std::string_view field = fields.substr(0, comma);
            fields.remove_prefix(comma == std::string_view::npos ? fields.size() : comma + 1);
            const auto equals = field.find('=');
            if (equals == std::string_view::npos) continue;
            const std::string_view name = field.substr(0, equals);
            const std::string_view value = field.substr(equals + 1);
            if (name == "ip") ip = value;
            if (name == "port") port = parsePort(value);
            if (name == "state") state = value;
            if (name == "lag") lag = parseSeconds(value);
        }
        if (!ip.empty() && port && state == "online" && lag && *lag <= maxLagSeconds) {
            heard.push_back(HostPort{std::string(ip), *port});
        }
    }
    return heard;
}

void AckLease::grant(AckVerdict verdict, Clock::time_point until) {
    const std::lock_guard lock(mutex_);
    granted_ = Granted{std::move(verdict), until};
}

std::optional<int> AckLease::replicasFor(const HostPort& server, Clock::time_point now) const {
    const std::lock_guard lock(mutex_);
    if (!granted_ || now >= granted_->until || granted_->verdict.primary != server) return std::nullopt;
    return granted_->verdict.replicas;
}

std::optional<AckVerdict> AckLease::current(Clock::time_point now) const {
    const std::lock_guard lock(mutex_);
    if (!granted_ || now >= granted_->until) return std::nullopt;
    return granted_->verdict;
}

}  // namespace jkjav::redis
