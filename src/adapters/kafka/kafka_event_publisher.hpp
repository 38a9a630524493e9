// EventPublisher on Kafka (or Redpanda) through librdkafka's idempotent producer, acks=all.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include "app/ports/outbox.hpp"

struct rd_kafka_s;

namespace jkjav::kafka {

struct KafkaSettings {
    std::string brokers;  // bootstrap.servers
    std::string topic = "booking-slot";
    std::chrono::milliseconds deliveryTimeout{10'000};  // after this a message counts as not delivered
};

// The event as the topic carries it: {"eventId","type","occurredAt","booking":{...}}.
std::string eventJson(const domain::BookingEvent& event);

class KafkaEventPublisher final : public app::EventPublisher {
  public:
    static std::variant<std::unique_ptr<KafkaEventPublisher>, std::string> create(
        const KafkaSettings& settings);
    ~KafkaEventPublisher() override;
    KafkaEventPublisher(const KafkaEventPublisher&) = delete;
    KafkaEventPublisher& operator=(const KafkaEventPublisher&) = delete;

    // Produces every entry (key: the person's id) and waits, without blocking the thread, for
    // every delivery report.
    boost::asio::awaitable<std::vector<bool>> publish(std::span<const app::OutboxEntry> entries) override;
    // A new librdkafka producer: bootstrap names resolved again, no stale broker addresses.
    boost::asio::awaitable<void> rebootstrap() override;

  private:
    KafkaEventPublisher(rd_kafka_s* producer, KafkaSettings settings);
    void replaceProducer(const char* why);

    rd_kafka_s* producer_;
    KafkaSettings settings_;
};

}  // namespace jkjav::kafka
