// `jkjav-admin lookup ID`: a citizen's booking (or waitlist place) as an operator on the phone
// needs it, identity and phone number masked unless asked for.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "admin_session.hpp"

namespace jkjav::cmd {

struct LookupOptions {
    std::string personId;  // normalised by the argument check
    bool json = false;
    bool showPersonalData = false;
};

CLI::App* addLookupCommand(CLI::App& app, LookupOptions& options);
int runLookup(AdminSession& session, const LookupOptions& options);

}  // namespace jkjav::cmd
