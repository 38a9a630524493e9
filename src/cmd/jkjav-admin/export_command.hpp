// `jkjav-admin export`: every booking, whole (it is the record), as CSV or JSON lines. Streamed:
// SCAN 1000 keys at a time with their HGETALLs pipelined, so memory stays flat at any size.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct ExportOptions {
    std::string format;  // csv or jsonl
    std::string output;  // empty: stdout
};

CLI::App* addExportCommand(CLI::App& app, ExportOptions& options);
int runExport(AdminSession& session, const ExportOptions& options);

}  // namespace jkjav::cmd
