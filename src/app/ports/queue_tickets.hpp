// Port: issuing and reading queue tickets. The adapter signs them (HMAC-SHA256, QUEUE_SECRET), so a
// ticket can be trusted without asking the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/queue_ticket.hpp"

namespace jkjav::app {

class QueueTickets {
  public:
    virtual ~QueueTickets() = default;
    // The person's pseudonym in the queue: the same on every server sharing the secret.
    [[nodiscard]] virtual std::string memberOf(std::string_view personId) const = 0;
    [[nodiscard]] virtual std::string issue(const domain::QueueTicket& ticket) const = 0;
    // nullopt: not a ticket this service issued (forged, altered, truncated).
    [[nodiscard]] virtual std::optional<domain::QueueTicket> read(std::string_view ticket) const = 0;
};

}  // namespace jkjav::app
