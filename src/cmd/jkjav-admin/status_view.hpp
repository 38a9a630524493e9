// `jkjav-admin status` written out: a table for people, JSON for scripts. Pure: unit-tested.
#pragma once

#include <optional>
#include <string>

#include "status_report.hpp"

namespace jkjav::cmd {

struct StatusText {
    bool perSlot = true;                      // a row per location and date (watch: per location only)
    std::optional<double> bookingsPerSecond;  // watch: references issued per second since the last frame
};

std::string statusText(const StatusReport& report, const StatusText& how);

// One JSON object (docs/admin.md documents its shape; fields are only ever added).
std::string statusJson(const StatusReport& report);

}  // namespace jkjav::cmd
