#include "kafka_probe.hpp"

#include <librdkafka/rdkafka.h>
#include <signal.h>

#include <fstream>
#include <stdexcept>

namespace jkjav::testing {

std::string devBrokerBinary() { return JKJAV_DEVBROKER_BINARY; }

DevBroker::DevBroker(const std::string& workDir, int brokers, const std::vector<std::string>& extraArgs) {
    const std::string file = workDir + "/bootstrap-" + std::to_string(std::rand());
    std::vector<std::string> argv{devBrokerBinary(), "--bootstrap-file", file, "--brokers",
                                  std::to_string(brokers)};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    process_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{},
                                              workDir + "/devbroker.log");
    const bool ready = eventually([&] {
        std::ifstream in(file);
        return static_cast<bool>(std::getline(in, bootstrap_)) && !bootstrap_.empty();
    });
    if (!ready) throw std::runtime_error("jkjav-devbroker did not write its bootstrap file");
}

DevBroker::~DevBroker() {
    if (process_->running()) {
        process_->signal(SIGTERM);
        process_->waitForExit(std::chrono::seconds(5));
    }
}

void DevBroker::kill() {
    process_->signal(SIGKILL);
    process_->waitForExit(std::chrono::seconds(5));
}

KafkaProbe::KafkaProbe(const std::string& bootstrap, const std::string& topic, int partitions) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error, sizeof error);
    rd_kafka_conf_set(conf, "group.id", ("probe-" + std::to_string(std::rand())).c_str(), error,
                      sizeof error);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", error, sizeof error);
    rd_kafka_conf_set(conf, "log_level", "2", error, sizeof error);
    consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (consumer_ == nullptr) throw std::runtime_error(error);
    rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p) {
        rd_kafka_topic_partition_list_add(assignment, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    rd_kafka_assign(consumer_, assignment);
    rd_kafka_topic_partition_list_destroy(assignment);
}

KafkaProbe::~KafkaProbe() {
    rd_kafka_consumer_close(consumer_);
    rd_kafka_destroy(consumer_);
}

const std::vector<KafkaMessage>& KafkaProbe::readAtLeast(std::size_t count,
                                                         std::chrono::milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (messages_.size() < count && std::chrono::steady_clock::now() < end) {
        rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, 100);
        if (message == nullptr) continue;
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            messages_.push_back({std::string(static_cast<const char*>(message->key), message->key_len),
                                 std::string(static_cast<const char*>(message->payload), message->len),
                                 message->partition});
        }
        rd_kafka_message_destroy(message);
    }
    return messages_;
}

}  // namespace jkjav::testing
