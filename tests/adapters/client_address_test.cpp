#include "adapters/http/client_address.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "case_names.hpp"

namespace jkjav::http {
namespace {

using boost::asio::ip::make_address;

TrustedProxies trusted(std::string_view list) {
    auto parsed = TrustedProxies::parse(list);
    if (auto* problem = std::get_if<std::string>(&parsed)) ADD_FAILURE() << list << ": " << *problem;
    return std::get<TrustedProxies>(parsed);
}

struct ParseCase {
    const char* name;
    const char* list;
    bool valid;
};

void PrintTo(const ParseCase& c, std::ostream* os) {
    *os << c.name << ": " << jkjav::testing::escaped(c.list) << (c.valid ? " accepted" : " refused");
}

class TrustedProxiesParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(TrustedProxiesParseTest, AcceptsAddressesAndNetworksOnly) {
    const auto& param = GetParam();
    const auto parsed = TrustedProxies::parse(param.list);
    EXPECT_EQ(std::holds_alternative<TrustedProxies>(parsed), param.valid) << param.list;
    if (!param.valid) EXPECT_FALSE(std::get<std::string>(parsed).empty());
}

INSTANTIATE_TEST_SUITE_P(
    ProxyLists, TrustedProxiesParseTest,
    ::testing::Values(
        ParseCase{"Empty", "", true}, ParseCase{"OnlyCommasAndSpaces", " , ,", true},
        ParseCase{"OneAddress", "127.0.0.1", true},
        ParseCase{"SeveralWithSpaces", "10.0.0.0/8, 192.168.1.1 ,fd00::/8", true},
        ParseCase{"IPv6Address", "::1", true}, ParseCase{"ZeroPrefix", "0.0.0.0/0", true},
        ParseCase{"HostName", "proxy.local", false}, ParseCase{"PrefixTooLong", "10.0.0.0/33", false},
        ParseCase{"IPv6PrefixTooLong", "fd00::/129", false}, ParseCase{"EmptyPrefix", "10.0.0.0/", false},
        ParseCase{"SignedPrefix", "10.0.0.0/-1", false}, ParseCase{"PrefixWithJunk", "10.0.0.0/8x", false},
        ParseCase{"AddressWithPort", "127.0.0.1:80", false}),
    jkjav::testing::ByLabel());

struct ContainsCase {
    const char* name;
    const char* list;
    const char* address;
    bool contained;
};

void PrintTo(const ContainsCase& c, std::ostream* os) {
    *os << c.name << ": " << c.address << (c.contained ? " is in " : " is not in ")
        << jkjav::testing::escaped(c.list);
}

class TrustedProxiesContainsTest : public ::testing::TestWithParam<ContainsCase> {};

TEST_P(TrustedProxiesContainsTest, MatchesByPrefix) {
    const auto& param = GetParam();
    EXPECT_EQ(trusted(param.list).contains(make_address(param.address)), param.contained);
}

INSTANTIATE_TEST_SUITE_P(
    ProxyMatches, TrustedProxiesContainsTest,
    ::testing::Values(ContainsCase{"ExactAddress", "127.0.0.1", "127.0.0.1", true},
                      ContainsCase{"OtherAddress", "127.0.0.1", "127.0.0.2", false},
                      ContainsCase{"InsideNetwork", "10.0.0.0/8", "10.200.3.4", true},
                      ContainsCase{"OutsideNetwork", "10.0.0.0/8", "11.0.0.1", false},
                      ContainsCase{"OddPrefix", "192.168.0.0/23", "192.168.1.255", true},
                      ContainsCase{"OddPrefixOutside", "192.168.0.0/23", "192.168.2.0", false},
                      ContainsCase{"V4MappedPeer", "127.0.0.1", "::ffff:127.0.0.1", true},
                      ContainsCase{"IPv6Network", "fd00::/8", "fd12::1", true},
                      ContainsCase{"IPv6NotV4", "0.0.0.0/0", "2001:db8::1", false},
                      ContainsCase{"NothingTrusted", "", "127.0.0.1", false}),
    jkjav::testing::ByLabel());

struct ClientCase {
    const char* name;
    const char* peer;
    std::vector<std::string_view> forwardedFor;  // one entry per header line
    const char* client;
};

void PrintTo(const ClientCase& c, std::ostream* os) {
    *os << c.name << ": peer " << c.peer << ", X-Forwarded-For";
    for (const auto& line : c.forwardedFor) *os << " " << jkjav::testing::escaped(line);
    *os << " -> client " << c.client;
}

class ClientAddressTest : public ::testing::TestWithParam<ClientCase> {};

TEST_P(ClientAddressTest, TrustsForwardedForFromTrustedPeersOnly) {
    const auto& param = GetParam();
    const TrustedProxies proxies = trusted("127.0.0.1, 10.0.0.0/8");
    EXPECT_EQ(clientAddress(make_address(param.peer), param.forwardedFor, proxies),
              make_address(param.client));
}

INSTANTIATE_TEST_SUITE_P(
    ForwardedFor, ClientAddressTest,
    ::testing::Values(
        ClientCase{"UntrustedPeerIsTheClient", "203.0.113.9", {"198.51.100.1"}, "203.0.113.9"},
        ClientCase{"TrustedPeerWithoutHeader", "127.0.0.1", {}, "127.0.0.1"},
        ClientCase{"TrustedPeerNamesTheClient", "127.0.0.1", {"198.51.100.1"}, "198.51.100.1"},
        ClientCase{
            "RightMostUntrustedWins", "127.0.0.1", {"1.1.1.1, 198.51.100.1, 10.0.0.5"}, "198.51.100.1"},
        ClientCase{"SeveralHeaderLinesAreOneList",
                   "127.0.0.1",
                   {"1.1.1.1, 198.51.100.1", "10.0.0.5"},
                   "198.51.100.1"},
        ClientCase{"AllTrustedGivesTheLeftMost", "127.0.0.1", {"10.0.0.7, 10.0.0.5"}, "10.0.0.7"},
        ClientCase{"GarbageStopsTheWalk", "127.0.0.1", {"1.1.1.1, bogus, 10.0.0.5"}, "10.0.0.5"},
        ClientCase{"GarbageLeftOfTheClientIsIgnored", "127.0.0.1", {"bogus, 198.51.100.1"}, "198.51.100.1"},
        ClientCase{"EmptyEntryStopsTheWalk", "127.0.0.1", {" , "}, "127.0.0.1"},
        ClientCase{"IPv6Client", "127.0.0.1", {"2001:db8::1"}, "2001:db8::1"},
        ClientCase{"V4MappedPeerIsUnmapped", "::ffff:203.0.113.9", {}, "203.0.113.9"}),
    jkjav::testing::ByLabel());

TEST(ClientKey, IPv6ClientsAreKeyedByTheirSlash64) {
    EXPECT_EQ(clientKey(make_address("2001:db8:1:2::1")), clientKey(make_address("2001:db8:1:2:ffff::9")));
    EXPECT_NE(clientKey(make_address("2001:db8:1:2::1")), clientKey(make_address("2001:db8:1:3::1")));
    EXPECT_NE(clientKey(make_address("192.0.2.1")), clientKey(make_address("192.0.2.2")));
    EXPECT_EQ(clientKey(make_address("192.0.2.1")), clientKey(make_address("::ffff:192.0.2.1")));
}

}  // namespace
}  // namespace jkjav::http
