// `jkjav-admin reconcile`: does the system of record (PostgreSQL, written by jkjav-recorder) agree
// with Redis (what people were told)? Prints every difference; exit 4 when one remains.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct ReconcileOptions {
    std::string databaseUrl;
    unsigned settleMs = 5000;  // a difference must still be there this much later to count
};

CLI::App* addReconcileCommand(CLI::App& app, ReconcileOptions& options);
int runReconcile(AdminSession& session, const ReconcileOptions& options);

}  // namespace jkjav::cmd
