// `jkjav-admin cancel ID --reason TEXT`: an operator's cancellation through the API's own atomic
// script (cancel.lua, operator mode: no phone check), its booking.cancelled event carrying the reason.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct CancelOptions {
    std::string personId;  // normalised by the argument check
    std::string reason;
    bool showPersonalData = false;
};

CLI::App* addCancelCommand(CLI::App& app, CancelOptions& options);
int runCancel(AdminSession& session, const CancelOptions& options);

}  // namespace jkjav::cmd
