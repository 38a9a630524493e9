// The process_* metrics (the names every Prometheus client uses) read from /proc/self: CPU time,
// resident memory, open and maximum descriptors, start time. The parsers are pure, for tests.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <string_view>

namespace jkjav::metrics {

struct ProcStat {
    long long userTicks = 0;
    long long systemTicks = 0;
    long long startTicks = 0;  // since boot
};

// /proc/self/stat (the command's name may hold spaces and parentheses).
std::optional<ProcStat> parseProcStat(std::string_view text);
// /proc/self/status: VmRSS in bytes.
std::optional<long long> parseResidentBytes(std::string_view status);
// /proc/self/limits: the soft limit of "Max open files"; nullopt when unlimited or absent.
std::optional<long long> parseMaxOpenFiles(std::string_view limits);
// /proc/stat: btime, the boot time in seconds since the epoch.
std::optional<long long> parseBootTime(std::string_view stat);

class ProcessCollector final : public prometheus::Collectable {
  public:
    // `procRoot`: "/proc" but in tests; reads <procRoot>/self/... and <procRoot>/stat.
    explicit ProcessCollector(std::string procRoot = "/proc");
    std::vector<prometheus::MetricFamily> Collect() const override;

  private:
    std::string procRoot_;
    long ticksPerSecond_;
};

}  // namespace jkjav::metrics
