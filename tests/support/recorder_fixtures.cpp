#include "recorder_fixtures.hpp"

#include <librdkafka/rdkafka.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "adapters/kafka/kafka_event_publisher.hpp"
#include "fixtures.hpp"
#include "http_client.hpp"

namespace jkjav::testing {

std::string recorderBinary() { return JKJAV_RECORDER_BINARY; }

RecorderProcess::RecorderProcess(std::string databaseUrl, std::string brokers,
                                 std::map<std::string, std::string> extraEnv)
    : databaseUrl_(std::move(databaseUrl)),
      brokers_(std::move(brokers)),
      extraEnv_(std::move(extraEnv)),
      logFile_(dir_.path() + "/recorder.log") {}

RecorderProcess::~RecorderProcess() {
    if (process_ && process_->running()) stop();
}

void RecorderProcess::launch() {
    portFile_ = dir_.path() + "/port";
    std::filesystem::remove(portFile_);
    std::map<std::string, std::string> env{
        {"DATABASE_URL", databaseUrl_},           {"KAFKA_BROKERS", brokers_},
        {"RECORDER_PORT", std::to_string(port_)}, {"PORT_FILE", portFile_},
        {"RECORDER_BATCH_WAIT_MS", "20"},         {"LOG_LEVEL", "debug"}};
    for (const auto& [key, value] : extraEnv_) env[key] = value;
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{recorderBinary()}, env, logFile_);
}

void RecorderProcess::awaitReady() {
    port_ = readPortFile(portFile_, *process_);
    HttpClient client(port_);
    if (!eventually([&] { return client.get("/healthz").status == 200; })) {
        throw std::runtime_error("jkjav-recorder did not answer /healthz");
    }
}

std::optional<int> RecorderProcess::stop() {
    process_->signal(SIGTERM);
    return process_->waitForExit(std::chrono::seconds(20));
}

void RecorderProcess::kill() {
    process_->signal(SIGKILL);
    process_->waitForExit(std::chrono::seconds(5));
}

std::optional<double> RecorderProcess::metric(const std::string& sample) {
    HttpClient client(port_);
    const HttpReply reply = client.get("/metrics");
    if (reply.status != 200) return std::nullopt;
    std::istringstream lines(reply.body);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(sample) && line.size() > sample.size()) {
            const auto space = line.rfind(' ');
            return std::stod(line.substr(space + 1));
        }
    }
    return std::nullopt;
}

EventProducer::EventProducer(const std::string& brokers, std::string topic) : topic_(std::move(topic)) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), error, sizeof error);
    rd_kafka_conf_set(conf, "linger.ms", "1", error, sizeof error);
    rd_kafka_conf_set(conf, "log_level", "2", error, sizeof error);
    producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (producer_ == nullptr) throw std::runtime_error(error);
}

EventProducer::~EventProducer() {
    rd_kafka_flush(producer_, 5000);
    rd_kafka_destroy(producer_);
}

void EventProducer::send(const std::vector<domain::BookingEvent>& events) {
    for (const auto& event : events) {
        const std::string value = kafka::eventJson(event);
        const std::string& key = event.booking.mysejahteraId;
        for (;;) {
            const auto err = rd_kafka_producev(
                producer_, RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) throw std::runtime_error(rd_kafka_err2str(err));
            rd_kafka_poll(producer_, 10);
        }
    }
    flush();
}

void EventProducer::sendRaw(const std::string& key, const std::string& value) {
    rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    flush();
}

void EventProducer::flush() {
    if (rd_kafka_flush(producer_, 30'000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw std::runtime_error("the test producer's events were not confirmed within 30 s");
    }
}

domain::BookingEvent createdEvent(int n, const std::string& location, const std::string& date,
                                  const std::string& eventId) {
    domain::BookingEvent event;
    char reference[32];
    std::snprintf(reference, sizeof reference, "JKTEST%07d", n);
    event.eventId = eventId.empty() ? "test-created-" + std::to_string(n) : eventId;
    event.type = "booking.created";
    event.occurredAt = "2021-05-26T01:02:03Z";
    event.booking = {.mysejahteraId = myKadFor(n),
                     .firstName = "First" + std::to_string(n),
                     .lastName = "Last",
                     .address = "Kuala Lumpur",
                     .location = location,
                     .phoneNumber = "+60123456789",
                     .date = date,
                     .reference = reference,
                     .createdAt = ""};
    return event;
}

domain::BookingEvent cancelledEvent(const domain::BookingEvent& created, const std::string& reason,
                                    const std::string& eventId) {
    domain::BookingEvent event = created;
    event.eventId = eventId.empty() ? "test-cancelled-" + created.booking.reference : eventId;
    event.type = "booking.cancelled";
    event.occurredAt = "2021-05-27T04:05:06Z";
    event.reason = reason;
    return event;
}

}  // namespace jkjav::testing
