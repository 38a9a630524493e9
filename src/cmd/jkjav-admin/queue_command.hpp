// `jkjav-admin queue status [--json] | pause | resume | set-rate N`: see and steer the waiting room.
// Pause and rate live in the queue's bookkeeping hash, which admit.lua reads on every round of every
// server, so a change takes effect within one round (SNAPSHOT_MS) everywhere.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct QueueOptions {
    std::string campaignFile;
    bool json = false;
    double rate = 0;  // set-rate's N, admissions per second
};

struct QueueCommands {
    CLI::App* queue = nullptr;
    CLI::App* status = nullptr;
    CLI::App* pause = nullptr;
    CLI::App* resume = nullptr;
    CLI::App* setRate = nullptr;
};

QueueCommands addQueueCommand(CLI::App& app, QueueOptions& options);
int runQueue(AdminSession& session, const QueueCommands& commands, const QueueOptions& options);

}  // namespace jkjav::cmd
