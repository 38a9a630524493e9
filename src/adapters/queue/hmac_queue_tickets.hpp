// Queue tickets signed with HMAC-SHA256 (OpenSSL) under QUEUE_SECRET:
// "2.<member>.<rank>.<joinedAtMs>.<estimateSeconds>[.a].<mac>".
// The member is a keyed hash of the person's id, so a ticket in a URL or a log reveals no id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/ports/queue_tickets.hpp"

namespace jkjav::queue {

// Shorter secrets are refused at start: HMAC-SHA256's key should carry 256 bits.
inline constexpr std::size_t kMinQueueSecretBytes = 32;

class HmacQueueTickets final : public app::QueueTickets {
  public:
    // The caller checks the length (kMinQueueSecretBytes) before the server starts.
    explicit HmacQueueTickets(std::string secret) : secret_(std::move(secret)) {}

    [[nodiscard]] std::string memberOf(std::string_view personId) const override;
    [[nodiscard]] std::string issue(const domain::QueueTicket& ticket) const override;
    [[nodiscard]] std::optional<domain::QueueTicket> read(std::string_view ticket) const override;

  private:
    std::string secret_;
};

}  // namespace jkjav::queue
