#include "recorder_config.hpp"

#include <CLI/CLI.hpp>

#include "jkjav_version.hpp"

namespace jkjav::cmd {

std::variant<RecorderConfig, int> parseRecorderConfig(int argc, char** argv) {
    RecorderConfig config;
    CLI::App app{"jkjav-recorder: booking events from Kafka into PostgreSQL, exactly once in effect"};
    app.set_version_flag("--version", std::string("jkjav-recorder ") + kVersion);
    app.add_option("--database-url", config.databaseUrl,
                   "PostgreSQL connection URI (libpq), e.g. postgresql://jkjav@127.0.0.1:5432/jkjav")
        ->envname("DATABASE_URL")
        ->required();
    app.add_option("--kafka-brokers", config.kafkaBrokers, "Kafka/Redpanda bootstrap servers")
        ->envname("KAFKA_BROKERS")
        ->required();
    app.add_option("--kafka-topic", config.kafkaTopic, "Topic of the booking events")
        ->envname("KAFKA_TOPIC")
        ->capture_default_str();
    app.add_option("--group", config.group, "Consumer group: recorders in one group share the partitions")
        ->envname("RECORDER_GROUP")
        ->capture_default_str();
    app.add_option("--bind", config.bindAddress, "Address of the /metrics and /healthz port")
        ->envname("RECORDER_BIND")
        ->capture_default_str();
    app.add_option("--port", config.port, "Port of /metrics and /healthz (0: any free port)")
        ->envname("RECORDER_PORT")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    app.add_option("--port-file", config.portFile, "Write the port bound here once listening")
        ->envname("PORT_FILE");
    app.add_option("--batch-max", config.batchMax, "Most events in one PostgreSQL transaction")
        ->envname("RECORDER_BATCH_MAX")
        ->check(CLI::Range(1, 100'000))
        ->capture_default_str();
    app.add_option("--batch-wait-ms", config.batchWaitMs, "How long an idle recorder waits for a first event")
        ->envname("RECORDER_BATCH_WAIT_MS")
        ->check(CLI::Range(1, 10'000))
        ->capture_default_str();
    app.add_option("--session-timeout-ms", config.sessionTimeoutMs,
                   "A recorder silent this long (killed) loses its partitions to the others")
        ->envname("RECORDER_SESSION_TIMEOUT_MS")
        ->check(CLI::Range(1'000, 300'000))
        ->capture_default_str();
    app.add_option("--log-level", config.logLevel, "trace, debug, info, warn, error, critical")
        ->envname("LOG_LEVEL")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical"}))
        ->capture_default_str();
    std::string logFormat = "text";
    app.add_option("--log-format", logFormat, "text (for people) or json (a JSON object a line)")
        ->envname("LOG_FORMAT")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    config.logFormat = *logging::parseLogFormat(logFormat);
    config.effectiveSettings = effectiveSettings(app);
    return config;
}

}  // namespace jkjav::cmd
