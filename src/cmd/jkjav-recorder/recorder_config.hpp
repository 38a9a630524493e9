// jkjav-recorder's settings: flags or environment, validated at start (docs/system-of-record.md, "Settings").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "adapters/logging/log_format.hpp"
#include "cmd/common/effective_settings.hpp"

namespace jkjav::cmd {

struct RecorderConfig {
    std::string databaseUrl;
    std::string kafkaBrokers;
    std::string kafkaTopic = "booking-slot";
    std::string group = "jkjav-recorder";
    std::string bindAddress = "127.0.0.1";
    unsigned port = 9464;
    std::string portFile;
    std::size_t batchMax = 5000;
    unsigned batchWaitMs = 100;
    unsigned sessionTimeoutMs = 6000;
    std::string logLevel = "info";
    logging::LogFormat logFormat = logging::LogFormat::kText;
    std::vector<Setting> effectiveSettings;
};

// The configuration, or the exit code after CLI11 printed help, the version or what is wrong.
std::variant<RecorderConfig, int> parseRecorderConfig(int argc, char** argv);

}  // namespace jkjav::cmd
