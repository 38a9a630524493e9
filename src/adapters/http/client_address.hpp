// Who the client is: the TCP peer, or what trusted proxies say in X-Forwarded-For.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/rate_limiter.hpp"

namespace jkjav::http {

// TRUSTED_PROXIES: addresses and networks (CIDR) of the proxies in front of the server.
class TrustedProxies {
  public:
    // "10.0.0.0/8, 127.0.0.1, fd00::/8"; empty: none. A string: what is wrong, for the operator.
    static std::variant<TrustedProxies, std::string> parse(std::string_view list);

    [[nodiscard]] bool empty() const { return networks_.empty(); }
    [[nodiscard]] bool contains(const boost::asio::ip::address& address) const;

  private:
    struct Network {
        boost::asio::ip::address_v6 base;  // IPv4 as v4-mapped, so one comparison serves both
        unsigned prefixBits = 128;
    };
    std::vector<Network> networks_;
};

// The peer, unless the peer is a trusted proxy: then the right-most address of X-Forwarded-For
// (all its header lines, in order, as one list) that is not itself a trusted proxy. Entries to
// the left of it are the client's own say and are ignored. When every entry is trusted, the
// left-most; when an entry does not parse, the walk stops at the last good one (or the peer).
boost::asio::ip::address clientAddress(const boost::asio::ip::address& peer,
                                       const std::vector<std::string_view>& forwardedFor,
                                       const TrustedProxies& trusted);

// The rate limiter's key: IPv4 v4-mapped; IPv6 by its /64, which one subscriber usually holds
// whole (keying each of its 2^64 addresses apart would make the limit meaningless).
app::ClientKey clientKey(const boost::asio::ip::address& address);

}  // namespace jkjav::http
