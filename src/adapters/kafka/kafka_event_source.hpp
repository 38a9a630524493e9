// EventSource on Kafka: a librdkafka consumer-group member that commits offsets only when told,
// i.e. after the events it handed out are in the system of record, and that starts over with a new
// consumer when its group stays out of reach (group_watch.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>

#include "adapters/kafka/group_watch.hpp"
#include "app/ports/event_source.hpp"

struct rd_kafka_s;

namespace jkjav::kafka {

struct ConsumerSettings {
    std::string brokers;  // bootstrap.servers
    std::string topic = "booking-slot";
    std::string groupId = "jkjav-recorder";
    // A member that stops heartbeating (killed) loses its partitions after this.
    std::chrono::milliseconds sessionTimeout{6'000};
};

class KafkaEventSource final : public app::EventSource {
  public:
    static std::variant<std::unique_ptr<KafkaEventSource>, std::string> create(
        const ConsumerSettings& settings);
    // Leaves the group (its partitions go to the other members at once), without committing.
    ~KafkaEventSource() override;
    KafkaEventSource(const KafkaEventSource&) = delete;
    KafkaEventSource& operator=(const KafkaEventSource&) = delete;

    app::ConsumedBatch next(std::size_t max, std::chrono::milliseconds wait) override;
    bool commit() override;
    std::optional<long long> lag() override;

  private:
    explicit KafkaEventSource(ConsumerSettings settings);
    // A consumer subscribed to the topic, reporting its statistics to groupWatch_.
    std::variant<rd_kafka_s*, std::string> openConsumer();
    // A new consumer in place of the old, which is destroyed without leaving the group.
    void replaceConsumer();

    rd_kafka_s* consumer_ = nullptr;
    ConsumerSettings settings_;
    // Out of reach for twice the session timeout: by then the group has dropped this member anyway.
    GroupWatch groupWatch_;
    std::map<std::int32_t, std::int64_t> handedOut_;  // partition -> last offset handed out, uncommitted
};

}  // namespace jkjav::kafka
