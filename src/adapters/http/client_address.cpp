#include "adapters/http/client_address.hpp"

#include <charconv>

namespace jkjav::http {

using boost::asio::ip::address;
using boost::asio::ip::address_v6;

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

address_v6 asV6(const address& value) {
    if (value.is_v4()) return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, value.to_v4());
    return value.to_v6();
}

// The address itself, not a v4-mapped IPv6 form of an IPv4 one (as a dual-stack socket reports).
address unmapped(const address& value) {
    if (value.is_v6() && value.to_v6().is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, value.to_v6());
    return value;
}

bool samePrefix(const address_v6::bytes_type& a, const address_v6::bytes_type& b, unsigned bits) {
    for (std::size_t i = 0; i < a.size() && bits > 0; ++i, bits -= std::min(bits, 8u)) {
        const unsigned take = std::min(bits, 8u);
        const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
        if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
}

std::optional<address> parseAddress(std::string_view text) {
    boost::system::error_code ec;
    const address parsed = boost::asio::ip::make_address(std::string(text), ec);
    if (ec) return std::nullopt;
    return unmapped(parsed);
}

}  // namespace

std::variant<TrustedProxies, std::string> TrustedProxies::parse(std::string_view list) {
    TrustedProxies proxies;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view entry = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (entry.empty()) continue;

        const auto slash = entry.find('/');
        const auto base = parseAddress(entry.substr(0, slash));
        if (!base) return "'" + std::string(entry) + "' is not an IP address or CIDR network";
        const unsigned maxBits = base->is_v4() ? 32 : 128;
        unsigned bits = maxBits;
        if (slash != std::string_view::npos) {
            const std::string_view digits = entry.substr(slash + 1);
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
            if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || bits > maxBits)
                return "'" + std::string(entry) + "' has no prefix length between 0 and " +
                       std::to_string(maxBits);
        }
        proxies.networks_.push_back({asV6(*base), base->is_v4() ? bits + 96 : bits});
    }
    return proxies;
}

bool TrustedProxies::contains(const address& value) const {
    const auto bytes = asV6(unmapped(value)).to_bytes();
    for (const auto& network : networks_) {
        if (samePrefix(bytes, network.base.to_bytes(), network.prefixBits)) return true;
    }
    return false;
}

address clientAddress(const address& peer, const std::vector<std::string_view>& forwardedFor,
                      const TrustedProxies& trusted) {
    address client = unmapped(peer);
    if (forwardedFor.empty() || !trusted.contains(client)) return client;
    // Right to left: each trusted hop appended the address it got the request from.
    for (auto line = forwardedFor.rbegin(); line != forwardedFor.rend(); ++line) {
        std::string_view rest = *line;
        while (!rest.empty()) {
            const auto comma = rest.rfind(',');
            const std::string_view entry =
                trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
            const auto hop = parseAddress(entry);
            if (!hop) return client;
            client = *hop;
            if (!trusted.contains(client)) return client;
        }
    }
    return client;
}

app::ClientKey clientKey(const address& value) {
    const address plain = unmapped(value);
    app::ClientKey key = asV6(plain).to_bytes();
    if (plain.is_v6()) std::fill(key.begin() + 8, key.end(), 0);
    return key;
}

}  // namespace jkjav::http
