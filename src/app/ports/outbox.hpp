// Ports of the transactional outbox: events written with each booking, read and acknowledged by
// the relay, and published to the broker.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/booking_event.hpp"

namespace jkjav::app {

struct OutboxEntry {
    std::string entryId;  // the store's id of this entry, for acknowledge()
    domain::BookingEvent event;
};

class Outbox {
  public:
    virtual ~Outbox() = default;
    // Up to `max` entries: this relay's unacknowledged ones first when `retryPending` (after a
    // restart or a failed delivery), then those abandoned by crashed relays, then new ones (may
    // wait briefly for them). nullopt when the store is away.
    virtual boost::asio::awaitable<std::optional<std::vector<OutboxEntry>>> nextBatch(std::size_t max,
                                                                                      bool retryPending) = 0;
    // Delivered: acknowledged and removed, never handed out again.
    virtual boost::asio::awaitable<bool> acknowledge(std::span<const std::string> entryIds) = 0;
    // True once enough replicas hold every entry read so far (always true when the store needs
    // none): an event is published only for a booking a failover cannot lose.
    virtual boost::asio::awaitable<bool> confirmReplicated() = 0;
};

class OutboxBacklog {
  public:
    virtual ~OutboxBacklog() = default;
    // Events written but not yet delivered; nullopt when the store is away.
    virtual boost::asio::awaitable<std::optional<long long>> backlog() = 0;
    // When the oldest of them was written, in Unix milliseconds (the store's clock); 0 when there
    // is none; nullopt when the store is away.
    virtual boost::asio::awaitable<std::optional<long long>> oldestMillis() = 0;
};

class EventPublisher {
  public:
    virtual ~EventPublisher() = default;
    // One flag per entry: true once the broker confirmed it stored the event.
    virtual boost::asio::awaitable<std::vector<bool>> publish(std::span<const OutboxEntry> entries) = 0;
    // Forgets what the client learned about the brokers and starts again from the bootstrap
    // servers, their names resolved again: a broker that came back elsewhere is found. Called
    // between publishes only.
    virtual boost::asio::awaitable<void> rebootstrap() = 0;
};

}  // namespace jkjav::app
