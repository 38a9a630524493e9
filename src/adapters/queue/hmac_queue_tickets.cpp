#include "adapters/queue/hmac_queue_tickets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>

#include "adapters/text/base64url.hpp"

namespace jkjav::queue {
namespace {

using Mac = std::array<unsigned char, 32>;
constexpr std::size_t kMemberHexChars = 32;  // 128 bits of the id's keyed hash
constexpr std::size_t kMacChars = 43;        // 32 bytes in unpadded base64url
constexpr std::size_t kMaxTicketChars = 128;

// Domain-separated: a member hash can never be replayed as a ticket's signature, nor the reverse.
Mac hmac(const std::string& key, std::string_view purpose, std::string_view message) {
    std::string input;
    input.reserve(purpose.size() + 1 + message.size());
    input.append(purpose).push_back('\0');
    input.append(message);
    Mac mac{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &length);
    return mac;
}

std::string base64Url(const Mac& mac) {
    return text::encodeBase64Url(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::string payloadOf(const domain::QueueTicket& ticket) {
    return "1." + ticket.member + "." + (ticket.rank < 0 ? std::string("p") : std::to_string(ticket.rank));
}

bool isLowerHex(std::string_view text) {
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

}  // namespace

std::string HmacQueueTickets::memberOf(std::string_view personId) const {
    static constexpr char kHex[] = "0123456789abcdef";
    const Mac mac = hmac(secret_, "jkjav queue member", personId);
    std::string out;
    for (std::size_t i = 0; i < kMemberHexChars / 2; ++i) {
        out.push_back(kHex[mac[i] >> 4]);
        out.push_back(kHex[mac[i] & 0xF]);
    }
    return out;
}

std::string HmacQueueTickets::issue(const domain::QueueTicket& ticket) const {
    const std::string payload = payloadOf(ticket);
    return payload + "." + base64Url(hmac(secret_, "jkjav queue ticket", payload));
}

std::optional<domain::QueueTicket> HmacQueueTickets::read(std::string_view ticket) const {
    if (ticket.size() > kMaxTicketChars || ticket.size() <= kMacChars + 1) return std::nullopt;
    const std::string_view payload = ticket.substr(0, ticket.size() - kMacChars - 1);
    const std::string_view mac = ticket.substr(ticket.size() - kMacChars);
    if (ticket[payload.size()] != '.') return std::nullopt;
    // The signature first, compared in constant time: nothing of an unsigned ticket is trusted.
    const std::string expected = base64Url(hmac(secret_, "jkjav queue ticket", payload));
    if (CRYPTO_memcmp(expected.data(), mac.data(), kMacChars) != 0) return std::nullopt;

    if (!payload.starts_with("1.")) return std::nullopt;
    const std::string_view rest = payload.substr(2);
    const auto dot = rest.find('.');
    if (dot != kMemberHexChars || !isLowerHex(rest.substr(0, dot))) return std::nullopt;
    domain::QueueTicket read{std::string(rest.substr(0, dot)), -1};
    const std::string_view rank = rest.substr(dot + 1);
    if (rank == "p") return read;
    const auto parsed = std::from_chars(rank.data(), rank.data() + rank.size(), read.rank);
    if (rank.empty() || parsed.ec != std::errc() || parsed.ptr != rank.data() + rank.size() || read.rank < 0)
        return std::nullopt;
    return read;
}

}  // namespace jkjav::queue
