#include "adapters/queue/hmac_queue_tickets.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <string>

#include "adapters/text/base64url.hpp"

namespace jkjav::queue {
namespace {

using Mac = std::array<unsigned char, 32>;
constexpr std::size_t kMemberHexChars = 32;  // 128 bits of the id's keyed hash
constexpr std::size_t kMacChars = 43;        // 32 bytes in unpadded base64url
constexpr std::size_t kMaxTicketChars = 128;

// Domain-separated: a member hash can never be replayed as a ticket's signature, nor the reverse.
// The input is put together on the stack: the status poll verifies a ticket on every request.
Mac hmac(const std::string& key, std::string_view purpose, std::string_view message) {
    std::array<char, 64 + kMaxTicketChars> stack{};
    std::string heap;  // only for a message longer than any ticket (person ids are short)
    char* input = stack.data();
    const std::size_t size = purpose.size() + 1 + message.size();
    if (size > stack.size()) {
        heap.resize(size);
        input = heap.data();
    }
    std::copy(purpose.begin(), purpose.end(), input);
    input[purpose.size()] = '\0';
    std::copy(message.begin(), message.end(), input + purpose.size() + 1);
    Mac mac{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input), size, mac.data(), &length);
    return mac;
}

// The MAC in unpadded base64url, into a fixed buffer (what encodeBase64Url gives, unallocated).
std::array<char, kMacChars> macText(const Mac& mac) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::array<char, kMacChars> out{};
    std::size_t at = 0;
    std::size_t i = 0;
    for (; i + 3 <= mac.size(); i += 3) {
        const std::uint32_t n = (mac[i] << 16) | (mac[i + 1] << 8) | mac[i + 2];
        out[at++] = kAlphabet[(n >> 18) & 63];
        out[at++] = kAlphabet[(n >> 12) & 63];
        out[at++] = kAlphabet[(n >> 6) & 63];
        out[at++] = kAlphabet[n & 63];
    }
    // 32 bytes: two left over, three characters.
    const std::uint32_t n = (mac[i] << 16) | (mac[i + 1] << 8);
    out[at++] = kAlphabet[(n >> 18) & 63];
    out[at++] = kAlphabet[(n >> 12) & 63];
    out[at++] = kAlphabet[(n >> 6) & 63];
    return out;
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
    const auto expected = macText(hmac(secret_, "jkjav queue ticket", payload));
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
