#include "adapters/kafka/kafka_options.hpp"

namespace jkjav::kafka {

std::optional<std::string> applyKafkaOptions(rd_kafka_conf_t* conf, std::span<const KafkaOption> options) {
    char error[512];
    for (const auto& [name, value] : options) {
        if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return std::string("kafka: ") + name + ": " + error;
        }
    }
    return std::nullopt;
}

}  // namespace jkjav::kafka
