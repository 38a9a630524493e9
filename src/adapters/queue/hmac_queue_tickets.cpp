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
constexpr std::size_t kMaxTicketChars = 192;

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

// "2.<member>.<rank|p>.<joinedAtMs|->.<estimateSeconds|->[.a]": "-" unknown, ".a" once admission was
// answered (queue_ticket.hpp).
std::string numberOrDash(std::int64_t value) { return value < 0 ? std::string("-") : std::to_string(value); }

std::string payloadOf(const domain::QueueTicket& ticket) {
    std::string payload = "2." + ticket.member + "." +
                          (ticket.rank < 0 ? std::string("p") : std::to_string(ticket.rank)) + "." +
                          numberOrDash(ticket.joinedAtMs) + "." + numberOrDash(ticket.estimateSeconds);
    if (ticket.admissionSeen) payload += ".a";
    return payload;
}

// A whole non-negative decimal number, or "-" (-1) when `dashAllowed`.
std::optional<std::int64_t> numberIn(std::string_view text, bool dashAllowed) {
    if (dashAllowed && text == "-") return -1;
    std::int64_t value = -1;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
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

    // Signed by us, so well formed unless the format changed: parsed strictly all the same.
    // Split on the stack: this runs on every status poll.
    std::array<std::string_view, 6> parts{};
    std::size_t count = 0;
    for (std::size_t start = 0;;) {
        if (count == parts.size()) return std::nullopt;
        const auto dot = payload.find('.', start);
        parts[count++] = payload.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (count < 5 || parts[0] != "2") return std::nullopt;
    if (parts[1].size() != kMemberHexChars || !isLowerHex(parts[1])) return std::nullopt;
    if (count == 6 && parts[5] != "a") return std::nullopt;
    const auto rank = parts[2] == "p" ? std::optional<std::int64_t>(-1) : numberIn(parts[2], false);
    const auto joinedAt = numberIn(parts[3], true);
    const auto estimate = numberIn(parts[4], true);
    if (!rank || !joinedAt || !estimate) return std::nullopt;
    return domain::QueueTicket{.member = std::string(parts[1]),
                               .rank = *rank,
                               .joinedAtMs = *joinedAt,
                               .estimateSeconds = *estimate,
                               .admissionSeen = count == 6};
}

}  // namespace jkjav::queue
