// The body of a queue answer (POST /queue, GET /queue/{ticket}), written into a buffer of its own
// without a JSON tree or an allocation per field: the status poll is the waiting room's hottest path.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "app/queue_service.hpp"

namespace jkjav::http {

class QueueAnswerJson {
  public:
    // Tickets are this server's own signed text (hex, digits, base64url and dots, at most 128
    // characters: anything longer is refused as INVALID_TICKET before an answer exists) and the
    // reason a constant, so nothing needs escaping and the body always fits.
    static constexpr std::size_t kCapacity = 384;

    explicit QueueAnswerJson(const app::QueueAnswer& answer);
    [[nodiscard]] std::string_view text() const { return {buffer_.data(), size_}; }

  private:
    void append(std::string_view text);
    void append(std::int64_t number);

    std::array<char, kCapacity> buffer_;
    std::size_t size_ = 0;
};

}  // namespace jkjav::http
