#include "adapters/kafka/kafka_event_source.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "adapters/kafka/booking_event_json.hpp"
#include "adapters/kafka/group_watch.hpp"
#include "adapters/kafka/kafka_options.hpp"

namespace jkjav::kafka {

namespace {

// How often librdkafka reports its statistics, the group's state among them (GroupWatch).
constexpr const char* kStatisticsIntervalMs = "1000";

}  // namespace

std::variant<std::unique_ptr<KafkaEventSource>, std::string> KafkaEventSource::create(
    const ConsumerSettings& settings) {
    auto source = std::unique_ptr<KafkaEventSource>(new KafkaEventSource(settings));
    auto opened = source->openConsumer();
    if (auto* problem = std::get_if<std::string>(&opened)) return *std::move(problem);
    source->consumer_ = std::get<rd_kafka_t*>(opened);
    return source;
}

KafkaEventSource::KafkaEventSource(ConsumerSettings settings)
    : settings_(std::move(settings)), groupWatch_(2 * settings_.sessionTimeout) {}

std::variant<rd_kafka_t*, std::string> KafkaEventSource::openConsumer() {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    const KafkaOption options[] = {
        {"bootstrap.servers", settings_.brokers},
        {"group.id", settings_.groupId},
        {"enable.auto.commit", "false"},  // offsets move only after PostgreSQL committed
        {"enable.auto.offset.store", "false"},
        {"auto.offset.reset", "earliest"},  // a new group starts from the first event
        {"session.timeout.ms", std::to_string(settings_.sessionTimeout.count())},
        {"heartbeat.interval.ms", "1000"},
        // Bounds a synchronous commit once sent; one waiting for the coordinator waits up to
        // session.timeout.ms.
        {"socket.timeout.ms", "10000"},
        {"reconnect.backoff.max.ms", "2000"},
        {"statistics.interval.ms", kStatisticsIntervalMs},
        {"log_level", "3"},
    };
    if (auto refused = applyKafkaOptions(conf, options)) return *std::move(refused);
    rd_kafka_conf_set_opaque(conf, this);
    // Served by rd_kafka_consumer_poll (the main queue goes to the consumer's), so on next()'s
    // thread: the watch needs no lock.
    rd_kafka_conf_set_stats_cb(conf, [](rd_kafka_t*, char* json, size_t length, void* opaque) {
        auto* source = static_cast<KafkaEventSource*>(opaque);
        if (auto state = groupStateOf(std::string_view(json, length))) {
            source->groupWatch_.observed(*state, std::chrono::steady_clock::now());
        }
        return 0;  // librdkafka frees the JSON
    });
    rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (consumer == nullptr) return std::string("kafka: ") + error;
    rd_kafka_poll_set_consumer(consumer);
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, settings_.topic.c_str(), RD_KAFKA_PARTITION_UA);
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_destroy(consumer);
        return std::string("kafka: subscribing to ") + settings_.topic + ": " + rd_kafka_err2str(err);
    }
    return consumer;
}

void KafkaEventSource::replaceConsumer() {
    auto opened = openConsumer();
    if (auto* problem = std::get_if<std::string>(&opened)) {
        // The old one stays; the watch tries again after another stretch out of reach.
        spdlog::error("recorder: {}: keeping the consumer whose group is out of reach", *problem);
        return;
    }
    spdlog::warn(
        "kafka: the consumer group has been out of reach for {} s (a broker back at another address "
        "is never reached again by librdkafka's group coordinator): a new consumer starts again from "
        "the bootstrap servers {}; what was recorded but not committed comes again",
        std::chrono::duration_cast<std::chrono::seconds>(2 * settings_.sessionTimeout).count(),
        settings_.brokers);
    // Without leaving the group: that goes through the coordinator out of reach and would wait for
    // it. Nothing handed out is lost: commit() came after the last batch, and what the old consumer
    // fetched beyond it the new one fetches again from the group's committed offsets.
    rd_kafka_destroy_flags(std::exchange(consumer_, std::get<rd_kafka_t*>(opened)),
                           RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
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
    // Only between batches, so that nothing handed out is uncommitted when the consumer changes.
    if (batch.empty() && groupWatch_.startOver()) replaceConsumer();
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
