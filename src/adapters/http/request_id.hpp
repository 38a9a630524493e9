// X-Request-Id: the name one request goes by in its response and in every log line about it.
// Taken from the request when a trusted proxy sent a sane one (so the edge's id follows the request
// through), otherwise made here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace jkjav::http {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

class RequestId {
  public:
    static constexpr std::size_t kMaxLength = 64;

    // A new id: this thread's random prefix and its count of ids so far ("9f3a0c2b7e41-1a"). No
    // system call, no lock, no allocation: unique across threads and processes by the prefix.
    static RequestId generate();
    // `value` when it is 1 to 64 of [A-Za-z0-9._-] (what can go into a header and a log line as
    // it is); nullopt otherwise.
    static std::optional<RequestId> fromHeader(std::string_view value);

    [[nodiscard]] std::string_view view() const { return {chars_.data(), size_}; }

  private:
    std::array<char, kMaxLength> chars_{};
    std::uint8_t size_ = 0;
};

// The id of a request: its X-Request-Id when `fromTrustedProxy` and the value is sane, else a new one.
// `headerValue`: the request's X-Request-Id (empty when it has none).
RequestId requestIdFor(std::string_view headerValue, bool fromTrustedProxy);

}  // namespace jkjav::http
