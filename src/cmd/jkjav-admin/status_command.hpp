// `jkjav-admin status`: the state of the day at a glance, once, as JSON, or redrawn every second.
#pragma once

#include <CLI/CLI.hpp>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct StatusOptions {
    bool json = false;
    bool watch = false;
    unsigned frames = 0;  // --count: with --watch, stop after this many frames (0: until Ctrl-C)
};

CLI::App* addStatusCommand(CLI::App& app, StatusOptions& options);
int runStatus(AdminSession& session, const StatusOptions& options);

}  // namespace jkjav::cmd
