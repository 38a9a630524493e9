#include "adapters/kafka/kafka_topic_probe.hpp"

#include <librdkafka/rdkafka.h>

#include <memory>

namespace jkjav::kafka {

namespace {

struct ClientDeleter {
    void operator()(rd_kafka_t* client) const { rd_kafka_destroy(client); }
};
struct MetadataDeleter {
    void operator()(const rd_kafka_metadata_t* metadata) const { rd_kafka_metadata_destroy(metadata); }
};

}  // namespace

std::variant<std::int64_t, std::string> countTopicMessages(const std::string& brokers,
                                                           const std::string& topic,
                                                           std::chrono::milliseconds timeout) {
    char error[512] = "";
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), error, sizeof error) !=
            RD_KAFKA_CONF_OK ||
        rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return std::string(error);
    }
    // A consumer handle never joins a group here: it only asks for metadata and watermarks.
    std::unique_ptr<rd_kafka_t, ClientDeleter> client(
        rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error));
    if (!client) return std::string(error);

    const int timeoutMs = static_cast<int>(timeout.count());
    const rd_kafka_metadata_t* raw = nullptr;
    if (const auto err = rd_kafka_metadata(client.get(), 1, nullptr, &raw, timeoutMs);
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return std::string("Kafka at ") + brokers + " did not answer: " + rd_kafka_err2str(err);
    }
    std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw);
    std::int64_t messages = 0;
    for (int t = 0; t < metadata->topic_cnt; ++t) {
        const auto& entry = metadata->topics[t];
        if (topic != entry.topic) continue;
        for (int p = 0; p < entry.partition_cnt; ++p) {
            std::int64_t low = 0, high = 0;
            const auto err = rd_kafka_query_watermark_offsets(client.get(), entry.topic,
                                                              entry.partitions[p].id, &low, &high, timeoutMs);
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                return std::string("Kafka did not give the offsets of ") + topic + ": " +
                       rd_kafka_err2str(err);
            }
            messages += high - low;
        }
    }
    return messages;
}

}  // namespace jkjav::kafka
