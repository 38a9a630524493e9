#include "adapters/metrics/process_stats.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "adapters/metrics/family_builder.hpp"

namespace jkjav::metrics {

namespace {

std::optional<long long> toNumber(std::string_view text) {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> result;
    std::size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n')) ++at;
        const std::size_t start = at;
        while (at < text.size() && text[at] != ' ' && text[at] != '\t' && text[at] != '\n') ++at;
        if (at > start) result.push_back(text.substr(start, at - start));
    }
    return result;
}

// The line that starts with `key`, without the key.
std::optional<std::string_view> lineAfter(std::string_view text, std::string_view key) {
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line = text.substr(at, end - at);
        if (line.starts_with(key)) return line.substr(key.size());
        at = end + 1;
    }
    return std::nullopt;
}

std::string readAll(const std::string& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

std::optional<ProcStat> parseProcStat(std::string_view text) {
    const auto close = text.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    // Fields from the third (state) on: utime is the 14th, stime the 15th, starttime the 22nd.
    const auto fields = words(text.substr(close + 1));
    if (fields.size() < 20) return std::nullopt;
    const auto user = toNumber(fields[11]);
    const auto system = toNumber(fields[12]);
    const auto start = toNumber(fields[19]);
    if (!user || !system || !start) return std::nullopt;
    return ProcStat{*user, *system, *start};
}

std::optional<long long> parseResidentBytes(std::string_view status) {
    const auto line = lineAfter(status, "VmRSS:");
    if (!line) return std::nullopt;
    const auto fields = words(*line);
    if (fields.size() != 2 || fields[1] != "kB") return std::nullopt;
    const auto kilobytes = toNumber(fields[0]);
    if (!kilobytes) return std::nullopt;
    return *kilobytes * 1024;
}

std::optional<long long> parseMaxOpenFiles(std::string_view limits) {
    const auto line = lineAfter(limits, "Max open files");
    if (!line) return std::nullopt;
    const auto fields = words(*line);
    if (fields.empty()) return std::nullopt;
    return toNumber(fields[0]);  // "unlimited" is not a number
}

std::optional<long long> parseBootTime(std::string_view stat) {
    const auto line = lineAfter(stat, "btime ");
    if (!line) return std::nullopt;
    const auto fields = words(*line);
    if (fields.size() != 1) return std::nullopt;
    return toNumber(fields[0]);
}

ProcessCollector::ProcessCollector(std::string procRoot)
    : procRoot_(std::move(procRoot)), ticksPerSecond_(sysconf(_SC_CLK_TCK)) {}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
    using prometheus::MetricType;
    std::vector<prometheus::MetricFamily> families;
    const auto stat = parseProcStat(readAll(procRoot_ + "/self/stat"));
    const double ticks = ticksPerSecond_ > 0 ? static_cast<double>(ticksPerSecond_) : 100.0;
    if (stat) {
        auto cpu = family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                          MetricType::Counter);
        addCounter(cpu, {}, static_cast<double>(stat->userTicks + stat->systemTicks) / ticks);
        families.push_back(std::move(cpu));
    }
    if (const auto rss = parseResidentBytes(readAll(procRoot_ + "/self/status"))) {
        auto memory =
            family("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge);
        addGauge(memory, {}, static_cast<double>(*rss));
        families.push_back(std::move(memory));
    }
    std::error_code ec;
    std::size_t open = 0;
    for (std::filesystem::directory_iterator it(procRoot_ + "/self/fd", ec), end; !ec && it != end;
         it.increment(ec))
        ++open;
    if (!ec) {
        auto fds = family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge);
        addGauge(fds, {}, static_cast<double>(open));
        families.push_back(std::move(fds));
    }
    if (const auto max = parseMaxOpenFiles(readAll(procRoot_ + "/self/limits"))) {
        auto fds = family("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge);
        addGauge(fds, {}, static_cast<double>(*max));
        families.push_back(std::move(fds));
    }
    const auto boot = parseBootTime(readAll(procRoot_ + "/stat"));
    if (stat && boot) {
        auto start = family("process_start_time_seconds",
                            "Start time of the process since unix epoch in seconds.", MetricType::Gauge);
        addGauge(start, {}, static_cast<double>(*boot) + static_cast<double>(stat->startTicks) / ticks);
        families.push_back(std::move(start));
    }
    return families;
}

}  // namespace jkjav::metrics
