// The /proc parsers behind the process_* metrics, on recorded file contents, and the collector on
// a fake /proc tree (exact figures) and on this very process.
#include "adapters/metrics/process_stats.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace jkjav::metrics {
namespace {

// A command name with spaces and parentheses: only the last ')' ends it.
constexpr std::string_view kStat =
    "4242 (jkjav (srv) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 3 0 987654 123456789 2048 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcStat, ReadsCpuTicksAndStartAfterTheCommandName) {
    const auto stat = parseProcStat(kStat);
    ASSERT_TRUE(stat.has_value());
    EXPECT_EQ(stat->userTicks, 250);
    EXPECT_EQ(stat->systemTicks, 50);
    EXPECT_EQ(stat->startTicks, 987654);
}

TEST(ProcStat, RefusesATruncatedLine) {
    EXPECT_FALSE(parseProcStat("4242 (jkjav) S 1 2 3").has_value());
    EXPECT_FALSE(parseProcStat("").has_value());
}

TEST(ProcStatus, ReadsResidentMemoryInBytes) {
    EXPECT_EQ(parseResidentBytes("Name:\tjkjav\nVmPeak:\t  9999 kB\nVmRSS:\t    5120 kB\nThreads:\t3\n"),
              5120 * 1024);
    EXPECT_FALSE(parseResidentBytes("Name:\tjkjav\n").has_value());
}

TEST(ProcLimits, ReadsTheSoftLimitOfOpenFiles) {
    const std::string limits =
        "Limit                     Soft Limit           Hard Limit           Units     \n"
        "Max cpu time              unlimited            unlimited            seconds   \n"
        "Max open files            65536                1048576              files     \n";
    EXPECT_EQ(parseMaxOpenFiles(limits), 65536);
    EXPECT_FALSE(
        parseMaxOpenFiles("Max open files            unlimited            unlimited            files\n")
            .has_value());
}

TEST(ProcBootTime, ReadsBtime) {
    EXPECT_EQ(parseBootTime("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n"), 1700000000);
    EXPECT_FALSE(parseBootTime("cpu  1 2 3\n").has_value());
}

std::map<std::string, double> valuesOf(const std::vector<prometheus::MetricFamily>& families) {
    std::map<std::string, double> values;
    for (const auto& family : families) {
        const auto& metric = family.metric.at(0);
        values[family.name] =
            family.type == prometheus::MetricType::Counter ? metric.counter.value : metric.gauge.value;
    }
    return values;
}

TEST(ProcessCollector, ReportsAFakeProcTreeExactly) {
    const auto root = std::filesystem::temp_directory_path() / ("jkjav-proc-" + std::to_string(getpid()));
    std::filesystem::create_directories(root / "self" / "fd");
    std::ofstream(root / "self" / "stat") << kStat;
    std::ofstream(root / "self" / "status") << "VmRSS:\t    5120 kB\n";
    std::ofstream(root / "self" / "limits")
        << "Max open files            4096                 4096                 files\n";
    std::ofstream(root / "stat") << "btime 1700000000\n";
    for (int fd = 0; fd < 3; ++fd) std::ofstream(root / "self" / "fd" / std::to_string(fd)) << "";

    const auto values = valuesOf(ProcessCollector(root.string()).Collect());
    std::filesystem::remove_all(root);
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    EXPECT_DOUBLE_EQ(values.at("process_cpu_seconds_total"), 300 / ticks);
    EXPECT_EQ(values.at("process_resident_memory_bytes"), 5120 * 1024);
    EXPECT_EQ(values.at("process_open_fds"), 3);
    EXPECT_EQ(values.at("process_max_fds"), 4096);
    EXPECT_DOUBLE_EQ(values.at("process_start_time_seconds"), 1700000000 + 987654 / ticks);
}

TEST(ProcessCollector, ReportsThisProcess) {
    const auto values = valuesOf(ProcessCollector().Collect());
    EXPECT_GT(values.at("process_resident_memory_bytes"), 0);
    EXPECT_GE(values.at("process_open_fds"), 3);  // stdin, stdout, stderr at least
    EXPECT_GT(values.at("process_start_time_seconds"), 1.6e9);
    EXPECT_LE(values.at("process_start_time_seconds"),
              static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()) +
                  1);
}

}  // namespace
}  // namespace jkjav::metrics
