// librdkafka configuration from a table of name/value pairs, for the producer and the consumer alike.
#pragma once

#include <librdkafka/rdkafka.h>

#include <optional>
#include <span>
#include <string>
#include <utility>

namespace jkjav::kafka {

using KafkaOption = std::pair<const char*, std::string>;

// Sets every option on `conf`; on the first refused one destroys `conf` and answers why.
std::optional<std::string> applyKafkaOptions(rd_kafka_conf_t* conf, std::span<const KafkaOption> options);

}  // namespace jkjav::kafka
