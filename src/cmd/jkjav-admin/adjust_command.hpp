// `jkjav-admin adjust`: more or fewer seats for one location and date, atomically (adjust.lua):
// never below what is booked, and added seats go to the slot's waitlist first.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct AdjustOptions {
    std::string location;
    std::string date;  // YYYYMMDD
    long long by = 0;
    bool showPersonalData = false;
};

CLI::App* addAdjustCommand(CLI::App& app, AdjustOptions& options);
int runAdjust(AdminSession& session, const AdjustOptions& options);

}  // namespace jkjav::cmd
