// The tests' own look into Kafka: the dev broker as a child process, and a librdkafka consumer
// that reads a topic from the beginning of every partition.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "process.hpp"

struct rd_kafka_s;

namespace jkjav::testing {

class DevBroker {
  public:
    // extraArgs: more jkjav-devbroker flags, e.g. {"--port", "0"} for a stable bootstrap address.
    explicit DevBroker(const std::string& workDir, int brokers = 1,
                       const std::vector<std::string>& extraArgs = {});
    ~DevBroker();
    [[nodiscard]] const std::string& bootstrap() const { return bootstrap_; }
    void kill();

  private:
    std::unique_ptr<ChildProcess> process_;
    std::string bootstrap_;
};

struct KafkaMessage {
    std::string key;
    std::string value;
    int partition = 0;
};

class KafkaProbe {
  public:
    KafkaProbe(const std::string& bootstrap, const std::string& topic, int partitions = 3);
    ~KafkaProbe();
    // Everything read so far plus whatever arrives, until `count` messages or the deadline.
    const std::vector<KafkaMessage>& readAtLeast(
        std::size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(30));

  private:
    rd_kafka_s* consumer_ = nullptr;
    std::vector<KafkaMessage> messages_;
};

}  // namespace jkjav::testing
