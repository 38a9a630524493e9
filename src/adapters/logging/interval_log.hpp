// A warning repeated by a flood of failures, logged at most once a second with how many there were.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <string_view>

namespace jkjav::logging {

// Counts events and logs them at most once per interval, so that a flood of failures costs one
// line a second, not a line each.
class IntervalLog {
  public:
    void note(std::string_view what, std::string_view detail) {
        ++count_;
        const auto now = std::chrono::steady_clock::now();
        if (now - lastLog_ < std::chrono::seconds(1)) return;
        spdlog::warn("{} ({} times since the last report): {}", what, count_, detail);
        count_ = 0;
        lastLog_ = now;
    }

  private:
    std::uint64_t count_ = 0;
    std::chrono::steady_clock::time_point lastLog_{};
};

}  // namespace jkjav::logging
