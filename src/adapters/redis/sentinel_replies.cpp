#include "adapters/redis/sentinel_replies.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace jkjav::redis {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

// "host:port" or "[v6]:port".
std::optional<HostPort> parseHostPort(std::string_view item) {
    std::string_view host;
    std::string_view port;
    if (item.starts_with('[')) {
        const auto close = item.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        host = item.substr(1, close - 1);
        port = item.substr(close + 2);
    } else {
        const auto colon = item.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        host = item.substr(0, colon);
        port = item.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return std::nullopt;  // bare IPv6: ambiguous
    }
    const auto number = parsePort(port);
    if (host.empty() || !number) return std::nullopt;
    const bool plain = std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_';
    });
    if (!plain) return std::nullopt;
    return HostPort{std::string(host), *number};
}

// Appended, not concatenated: GCC 12 warns wrongly (-Wrestrict) on "'" + std::string(...) here.
std::string refusal(std::string_view item, std::string_view why) {
    std::string text;
    text.append("'").append(item).append("' ").append(why);
    return text;
}

// "s_down" as one of the comma-separated flags ("slave,s_down,disconnected").
bool flagsSayDown(std::string_view flags) {
    while (!flags.empty()) {
        const auto comma = flags.find(',');
        if (flags.substr(0, comma) == "s_down") return true;
        if (comma == std::string_view::npos) break;
        flags.remove_prefix(comma + 1);
    }
    return false;
}

std::optional<ReplicaReport> replicaFromFields(ReplyView fields) {
    if (!fields.isArray() || fields.size() % 2 != 0) return std::nullopt;
    std::optional<std::string_view> ip;
    std::optional<std::uint16_t> port;
    std::optional<std::string_view> flags;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        const std::string_view name = fields[i].text();
        const std::string_view value = fields[i + 1].text();
        if (name == "ip") ip = value;
        if (name == "port") port = parsePort(value);
        if (name == "flags") flags = value;
    }
    if (!ip || ip->empty() || !port || !flags) return std::nullopt;
    // Only s_down lets a replica go. Not its link to the primary being down, nor it reporting itself
    // a primary: the Sentinels may be promoting exactly that one (a promoted replica says "master"
    // before every Sentinel names it), and a write it lacks would then be lost.
    return ReplicaReport{HostPort{std::string(*ip), *port}, flagsSayDown(*flags)};
}

}  // namespace

std::optional<std::uint16_t> parsePort(std::string_view text) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

std::optional<HostPort> primaryFromSentinelReply(ReplyView reply) {
    if (!reply.isArray() || reply.size() != 2 || !reply[0].isString() || !reply[1].isString()) {
        return std::nullopt;
    }
    const std::string_view host = reply[0].text();
    const auto port = parsePort(reply[1].text());
    if (host.empty() || !port) return std::nullopt;
    return HostPort{std::string(host), *port};
}

std::optional<std::vector<ReplicaReport>> replicasFromSentinelReply(ReplyView reply) {
    if (!reply.isArray()) return std::nullopt;
    std::vector<ReplicaReport> replicas;
    for (std::size_t i = 0; i < reply.size(); ++i) {
        auto replica = replicaFromFields(reply[i]);
        if (!replica) return std::nullopt;
        replicas.push_back(std::move(*replica));
    }
    return replicas;
}

bool roleSaysPrimary(ReplyView reply) {
    return reply.isArray() && reply.size() > 0 && reply[0].isString() && reply[0].text() == "master";
}

bool isReadOnlyRefusal(ReplyView reply) { return reply.isError() && reply.text().starts_with("READONLY"); }

std::optional<MasterSwitch> parseSwitchMaster(std::string_view payload) {
    std::vector<std::string_view> words;
    while (!payload.empty()) {
        const auto space = payload.find(' ');
        const auto word = payload.substr(0, space);
        if (!word.empty()) words.push_back(word);
        if (space == std::string_view::npos) break;
        payload.remove_prefix(space + 1);
    }
    if (words.size() != 5 || !isValidMasterName(words[0])) return std::nullopt;
    const auto fromPort = parsePort(words[2]);
    const auto toPort = parsePort(words[4]);
    if (!fromPort || !toPort) return std::nullopt;
    return MasterSwitch{
        std::string(words[0]), {std::string(words[1]), *fromPort}, {std::string(words[3]), *toPort}};
}

std::optional<std::string_view> messageOnChannel(ReplyView reply, std::string_view channel) {
    if (!reply.isArray() || reply.size() != 3 || reply[0].text() != "message" || reply[1].text() != channel ||
        !reply[2].isString()) {
        return std::nullopt;
    }
    return reply[2].text();
}

std::variant<std::vector<HostPort>, std::string> parseSentinelList(std::string_view text) {
    std::vector<HostPort> sentinels;
    std::string_view rest = text;
    for (;;) {
        const auto comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        const auto parsed = parseHostPort(item);
        if (!parsed) {
            return refusal(item, "is not host:port (expected host:port,host:port,...)");
        }
        if (std::find(sentinels.begin(), sentinels.end(), *parsed) != sentinels.end()) {
            return refusal(item, "is listed twice");
        }
        sentinels.push_back(*parsed);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return sentinels;
}

bool isValidMasterName(std::string_view name) {
    return !name.empty() && name.size() <= 200 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
}

}  // namespace jkjav::redis
