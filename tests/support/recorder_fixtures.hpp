// For the recorder's tests: jkjav-recorder as a child process, and a producer that puts booking
// events on the topic the way the relay does (key: the person's id; value: the event's JSON).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/booking_event.hpp"
#include "process.hpp"

struct rd_kafka_s;

namespace jkjav::testing {

class RecorderProcess {
  public:
    RecorderProcess(std::string databaseUrl, std::string brokers,
                    std::map<std::string, std::string> extraEnv = {});
    ~RecorderProcess();
    // Starts and waits for /healthz (the schema migrated, the consumer subscribed): launch() then
    // awaitReady(), which tests of recorders starting together call apart.
    void start() {
        launch();
        awaitReady();
    }
    void launch();
    void awaitReady();
    std::optional<int> stop();  // SIGTERM and wait; the exit status
    void kill();                // SIGKILL: no batch finished, nothing committed past the last commit
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] const std::string& logFile() const { return logFile_; }
    ChildProcess& process() { return *process_; }
    // One metric's value from /metrics (the first sample whose name and labels start with
    // `sample`, e.g. `jkjav_recorder_events_recorded_total{type="booking.created"}`).
    std::optional<double> metric(const std::string& sample);

  private:
    std::string databaseUrl_;
    std::string brokers_;
    std::map<std::string, std::string> extraEnv_;
    TempDir dir_;
    std::string logFile_;
    int port_ = 0;
    std::string portFile_;
    std::unique_ptr<ChildProcess> process_;
};

class EventProducer {
  public:
    explicit EventProducer(const std::string& brokers, std::string topic = "booking-slot");
    ~EventProducer();
    // Every event produced and confirmed by the broker (throws otherwise, within 30 s).
    void send(const std::vector<domain::BookingEvent>& events);
    // A raw value (not JSON, say) under `key`.
    void sendRaw(const std::string& key, const std::string& value);

  private:
    void flush();
    rd_kafka_s* producer_ = nullptr;
    std::string topic_;
};

// A booking.created event for person n at `location` on `date` (reference JKTEST + n).
domain::BookingEvent createdEvent(int n, const std::string& location = "PWTC",
                                  const std::string& date = "20210516", const std::string& eventId = "");
// The matching booking.cancelled event (`reason` for an operator's).
domain::BookingEvent cancelledEvent(const domain::BookingEvent& created, const std::string& reason = "",
                                    const std::string& eventId = "");

std::string recorderBinary();

}  // namespace jkjav::testing
