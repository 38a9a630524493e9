// jkjav-devbroker: a real Kafka-protocol broker for development and tests, made of librdkafka's
// mock cluster on loopback sockets. Not for production: it keeps messages in memory only.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "cmd/common/atomic_file.hpp"

using jkjav::cmd::writeAtomically;

int main(int argc, char** argv) {
    int brokers = 1;
    int partitions = 3;
    std::string topic = "booking-slot";
    std::string bootstrapFile;
    CLI::App app{"jkjav-devbroker: an in-memory Kafka-protocol broker (librdkafka mock cluster)"};
    app.add_option("--brokers", brokers, "Brokers in the cluster")->check(CLI::Range(1, 16));
    app.add_option("--topic", topic, "Topic to create")->capture_default_str();
    app.add_option("--partitions", partitions, "Partitions of the topic")->check(CLI::Range(1, 64));
    app.add_option("--bootstrap-file", bootstrapFile, "Write the bootstrap address here once ready");
    CLI11_PARSE(app, argc, argv);

    // Block the stop signals before librdkafka starts its threads, so only sigwait() sees them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
    rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (handle == nullptr) {
        std::fprintf(stderr, "jkjav-devbroker: %s\n", error);
        return 1;
    }
    rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
    if (cluster == nullptr) {
        std::fprintf(stderr, "jkjav-devbroker: could not start the mock cluster\n");
        rd_kafka_destroy(handle);
        return 1;
    }
    const int replication = brokers < 3 ? brokers : 3;
    if (const auto err = rd_kafka_mock_topic_create(cluster, topic.c_str(), partitions, replication)) {
        std::fprintf(stderr, "jkjav-devbroker: creating %s: %s\n", topic.c_str(), rd_kafka_err2str(err));
        return 1;
    }
    const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
    if (!bootstrapFile.empty() && !writeAtomically(bootstrapFile, bootstrap)) {
        std::fprintf(stderr, "jkjav-devbroker: cannot write %s\n", bootstrapFile.c_str());
        return 1;
    }
    std::printf("%s\n", bootstrap.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "jkjav-devbroker: %d broker(s) at %s, topic %s with %d partitions; SIGTERM stops\n",
                 brokers, bootstrap.c_str(), topic.c_str(), partitions);

    int received = 0;
    sigwait(&stopSignals, &received);
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(handle);
    if (!bootstrapFile.empty()) std::remove(bootstrapFile.c_str());
    return 0;
}
