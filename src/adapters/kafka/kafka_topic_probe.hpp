// How many messages a Kafka topic holds: evidence, outside Redis, that a campaign has started.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

namespace jkjav::kafka {

// The messages retained in `topic` (sum over partitions of high minus low watermark); 0 when the
// topic does not exist; an error message when the brokers did not answer within `timeout`.
std::variant<std::int64_t, std::string> countTopicMessages(const std::string& brokers,
                                                           const std::string& topic,
                                                           std::chrono::milliseconds timeout);

}  // namespace jkjav::kafka
