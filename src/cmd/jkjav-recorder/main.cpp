// jkjav-recorder: the consumer a deployment runs beside the servers. Booking events from the
// booking-slot topic into PostgreSQL (the system of record), exactly once in effect. Only the
// wiring: the use case is app/event_recorder, the work is in the Kafka and PostgreSQL adapters.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <stop_token>
#include <thread>

#include "adapters/http/status_listener.hpp"
#include "adapters/kafka/kafka_event_source.hpp"
#include "adapters/logging/log_fields.hpp"
#include "adapters/metrics/metrics_exposition.hpp"
#include "adapters/metrics/process_stats.hpp"
#include "adapters/metrics/recorder_metrics.hpp"
#include "adapters/postgres/postgres_booking_record.hpp"
#include "adapters/postgres/schema_migrations.hpp"
#include "app/event_recorder.hpp"
#include "cmd/common/atomic_file.hpp"
#include "recorder_config.hpp"

namespace {

using namespace jkjav;

// At start PostgreSQL may still be coming up (make run, compose): a few tries, then give up
// with the reason (a supervisor restarts us).
bool migrateSchema(const std::string& url, std::stop_token stop) {
    constexpr auto kGiveUpAfter = std::chrono::seconds(30);
    const auto deadline = std::chrono::steady_clock::now() + kGiveUpAfter;
    std::string problem;
    auto delay = std::chrono::milliseconds(100);
    while (!stop.stop_requested()) {
        auto opened = postgres::connect(url);
        if (auto* connection = std::get_if<postgres::ConnectionPtr>(&opened)) {
            auto migrated = postgres::applyMigrations(**connection);
            if (auto* report = std::get_if<postgres::MigrationReport>(&migrated)) {
                spdlog::info("recorder: schema at version {} ({} migration(s) applied now)", report->version,
                             report->applied);
                return true;
            }
            problem = std::get<std::string>(migrated);
        } else {
            problem = std::get<std::string>(opened);
        }
        if (std::chrono::steady_clock::now() > deadline) break;
        spdlog::warn("recorder: {} (trying again)", problem);
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(2000));
    }
    spdlog::critical("recorder: {}", problem.empty() ? "stopped before the schema was ready" : problem);
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    auto parsed = cmd::parseRecorderConfig(argc, argv);
    if (auto* code = std::get_if<int>(&parsed)) return *code;
    const cmd::RecorderConfig& config = std::get<cmd::RecorderConfig>(parsed);
    spdlog::set_level(spdlog::level::from_str(config.logLevel));
    logging::installLogFormat(config.logFormat);
    {
        std::vector<logging::LogField> fields;
        for (const auto& setting : config.effectiveSettings) fields.emplace_back(setting.name, setting.value);
        logging::logWith(fields, spdlog::level::info, "configuration ({} settings)", fields.size());
    }

    // SIGTERM/SIGINT are taken by one thread with sigwait(), blocked everywhere else (librdkafka's
    // threads included, so they are blocked before any starts).
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::stop_source stopping;
    // Detached: it stays in sigwait() until a signal or the process's end.
    std::thread([stopSignals, stopping]() mutable {
        int received = 0;
        sigwait(&stopSignals, &received);
        spdlog::info("recorder: signal {}: finishing the batch in hand, then leaving the group", received);
        stopping.request_stop();
    }).detach();

    if (!migrateSchema(config.databaseUrl, stopping.get_token())) {
        return 1;
    }
    auto created = kafka::KafkaEventSource::create(
        {.brokers = config.kafkaBrokers,
         .topic = config.kafkaTopic,
         .groupId = config.group,
         .sessionTimeout = std::chrono::milliseconds(config.sessionTimeoutMs)});
    if (auto* problem = std::get_if<std::string>(&created)) {
        spdlog::critical("recorder: {}", *problem);
        return 1;
    }
    auto& source = *std::get<std::unique_ptr<kafka::KafkaEventSource>>(created);
    postgres::PostgresBookingRecord record(config.databaseUrl);
    metrics::RecorderMetrics recorderMetrics;
    metrics::MetricsExposition exposition;
    exposition.add(recorderMetrics.collectable());
    exposition.add(std::make_shared<metrics::ProcessCollector>());

    auto listening =
        http::StatusListener::start(config.bindAddress, static_cast<std::uint16_t>(config.port),
                                    {.metrics = [&exposition] { return exposition.render(); },
                                     .health =
                                         [&recorderMetrics] {
                                             return std::string(R"({"status":"OK","database":")") +
                                                    (recorderMetrics.storeUp() ? "UP" : "DOWN") + "\"}";
                                         }});
    if (auto* problem = std::get_if<std::string>(&listening)) {
        spdlog::critical("recorder: {}", *problem);
        return 1;
    }
    const auto& listener = *std::get<std::unique_ptr<http::StatusListener>>(listening);
    if (!config.portFile.empty() && !cmd::writeAtomically(config.portFile, std::to_string(listener.port()))) {
        spdlog::critical("recorder: --port-file/PORT_FILE: cannot write {}", config.portFile);
        return 1;
    }
    spdlog::info("recorder: consuming {} as group {}; /metrics and /healthz on {}:{}", config.kafkaTopic,
                 config.group, config.bindAddress, listener.port());

    const app::SteadyClock clock;
    app::EventRecorder recorder(
        source, record, recorderMetrics, clock,
        {.batchMax = config.batchMax, .batchWait = std::chrono::milliseconds(config.batchWaitMs)});
    recorder.run(stopping.get_token());
    spdlog::info("recorder: stopped; leaving the consumer group");
    return 0;  // the source's destructor leaves the group: its partitions go to the others at once
}
