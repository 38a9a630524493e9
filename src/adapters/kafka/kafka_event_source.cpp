#include "adapters/kafka/kafka_event_source.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "adapters/kafka/booking_event_json.hpp"
#include "adapters/kafka/kafka_options.hpp"

namespace jkjav::kafka {

std::variant<std::unique_ptr<KafkaEventSource>, std::string> KafkaEventSource::create(
    const ConsumerSettings& settings) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    const KafkaOption options[] = {
        {"bootstrap.servers", settings.brokers},
        {"group.id", settings.groupId},
        {"enable.auto.commit", "false"},  // offsets move only after PostgreSQL committed
        {"enable.auto.offset.store", "false"},
        {"auto.offset.reset", "earliest"},  // a new group starts from the first event
        {"session.timeout.ms", std::to_string(settings.sessionTimeout.count())},
        {"heartbeat.interval.ms", "1000"},
        {"socket.timeout.ms", "10000"},  // bounds a synchronous commit
        {"reconnect.backoff.max.ms", "2000"},
        {"log_level", "3"},
    };
    if (auto refused = applyKafkaOptions(conf, options)) return *std::move(refused);
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (consumer == nullptr) return std::string("kafka: ") + error;
    rd_kafka_poll_set_consumer(consumer);
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, settings.topic.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_destroy(consumer);
        return std::string("kafka: subscribing to ") + settings.topic + ": " + rd_kafka_err2str(err);
    }
    return std::unique_ptr<KafkaEventSource>(new KafkaEventSource(consumer, settings));
}

KafkaEventSource::~KafkaEventSource() {
    rd_kafka_consumer_close(consumer_);
    rd_kafka_destroy(consumer_);
}

app::ConsumedBatch KafkaEventSource::next(std::size_t max, std::chrono::milliseconds wait) {
    app::ConsumedBatch batch;
    batch.events.reserve(max);
    auto timeout = static_cast<int>(wait.count());
    while (batch.events.size() + batch.malformed < max) {
        rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, timeout);
        if (message == nullptr) break;
        timeout = 0;  // the batch is what has arrived; only the first event is waited for
        if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                spdlog::warn("kafka: consumer: {}", rd_kafka_message_errstr(message));
            }
            rd_kafka_message_destroy(message);
            continue;
        }
        handedOut_[message->partition] = message->offset;
        auto event = parseEventJson(std::string_view(static_cast<const char*>(message->payload),
                                                     message->payload == nullptr ? 0 : message->len));
        if (event) {
            batch.events.push_back(std::move(*event));
        } else {
            // Skipped for good (committed with the rest): it could never be stored, and waiting on
            // it would stop every event behind it. Where it is, not what it holds (personal data).
            spdlog::error("recorder: skipping a message that is no booking event: partition {} offset {}",
                          message->partition, message->offset);
            ++batch.malformed;
        }
        rd_kafka_message_destroy(message);
    }
    return batch;
}

bool KafkaEventSource::commit() {
    if (handedOut_.empty()) return true;
    rd_kafka_topic_partition_list_t* offsets =
        rd_kafka_topic_partition_list_new(static_cast<int>(handedOut_.size()));
    for (const auto& [partition, offset] : handedOut_) {
        rd_kafka_topic_partition_list_add(offsets, settings_.topic.c_str(), partition)->offset = offset + 1;
    }
    handedOut_.clear();
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer_, offsets, 0);
    rd_kafka_topic_partition_list_destroy(offsets);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        // Typically a rebalance took the partitions meanwhile: their new owner gets these events
        // again and finds them recorded.
        spdlog::warn("kafka: committing offsets failed ({}); those events will come again",
                     rd_kafka_err2str(err));
        return false;
    }
    return true;
}

std::optional<long long> KafkaEventSource::lag() {
    rd_kafka_topic_partition_list_t* assigned = nullptr;
    if (rd_kafka_assignment(consumer_, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
    std::optional<long long> total;
    if (rd_kafka_position(consumer_, assigned) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int i = 0; i < assigned->cnt; ++i) {
            const auto& partition = assigned->elems[i];
            std::int64_t low = 0;
            std::int64_t high = 0;
            // Cached from the fetches: no request, no wait.
            if (rd_kafka_get_watermark_offsets(consumer_, partition.topic, partition.partition, &low,
                                               &high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
                high < 0) {
                continue;
            }
            const std::int64_t position = partition.offset >= 0 ? partition.offset : low;
            total = total.value_or(0) + std::max<std::int64_t>(0, high - position);
        }
    }
    rd_kafka_topic_partition_list_destroy(assigned);
    return total;
}

}  // namespace jkjav::kafka
