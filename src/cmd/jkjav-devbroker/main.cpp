// jkjav-devbroker: a real Kafka-protocol broker for development and tests, made of librdkafka's
// mock cluster on loopback sockets. Not for production: it keeps messages in memory only.
// --port gives it a stable bootstrap address (see stable_address.hpp) so a restarted broker is
// found again.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "cmd/common/atomic_file.hpp"
#include "jkjav_version.hpp"
#include "stable_address.hpp"

using jkjav::cmd::writeAtomically;

int main(int argc, char** argv) {
    int brokers = 1;
    int partitions = 3;
    std::string topic = "booking-slot";
    std::string bootstrapFile;
    std::optional<int> port;
    int rttMs = 0;
    CLI::App app{"jkjav-devbroker: an in-memory Kafka-protocol broker (librdkafka mock cluster)"};
    app.set_version_flag("--version", std::string("jkjav-devbroker ") + jkjav::cmd::kVersion);
    app.add_option("--brokers", brokers, "Brokers in the cluster")->check(CLI::Range(1, 16));
    app.add_option("--topic", topic, "Topic to create")->capture_default_str();
    app.add_option("--partitions", partitions, "Partitions of the topic")->check(CLI::Range(1, 64));
    app.add_option("--bootstrap-file", bootstrapFile, "Write the bootstrap address here once ready");
    app.add_option("--port", port,
                   "Loopback port clients bootstrap through, the same after a restart (0: any free "
                   "port); unset: the first broker's own port, new at each start")
        ->check(CLI::Range(0, 65535));
    app.add_option("--rtt-ms", rttMs, "Added latency of every broker's answers (tests of slow brokers)")
        ->check(CLI::Range(0, 60'000));
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
    for (int broker = 1; rttMs > 0 && broker <= brokers; ++broker) {
        rd_kafka_mock_broker_set_rtt(cluster, broker, rttMs);
    }
    std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);

    // The stable address relays to the first broker; any broker answers for the whole cluster.
    namespace asio = boost::asio;
    asio::io_context forwarding{1};
    std::optional<asio::ip::tcp::acceptor> acceptor;
    std::thread forwarder;
    if (port) {
        const std::string first = bootstrap.substr(0, bootstrap.find(','));
        const auto colon = first.rfind(':');
        const asio::ip::tcp::endpoint target(asio::ip::make_address(first.substr(0, colon)),
                                             static_cast<std::uint16_t>(std::stoi(first.substr(colon + 1))));
        boost::system::error_code bindError;
        acceptor.emplace(forwarding);
        const asio::ip::tcp::endpoint listen(asio::ip::address_v4::loopback(),
                                             static_cast<std::uint16_t>(*port));
        acceptor->open(listen.protocol(), bindError);
        if (!bindError) acceptor->set_option(asio::socket_base::reuse_address(true), bindError);
        if (!bindError) acceptor->bind(listen, bindError);
        if (!bindError) acceptor->listen(asio::socket_base::max_listen_connections, bindError);
        if (bindError) {
            std::fprintf(stderr, "jkjav-devbroker: cannot listen on 127.0.0.1:%d: %s\n", *port,
                         bindError.message().c_str());
            return 1;
        }
        bootstrap = "127.0.0.1:" + std::to_string(acceptor->local_endpoint().port());
        asio::co_spawn(forwarding, jkjav::devbroker::forwardConnections(*acceptor, target), asio::detached);
        forwarder = std::thread([&forwarding] { forwarding.run(); });
    }

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
    if (forwarder.joinable()) {
        forwarding.stop();
        forwarder.join();
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(handle);
    if (!bootstrapFile.empty()) std::remove(bootstrapFile.c_str());
    return 0;
}
