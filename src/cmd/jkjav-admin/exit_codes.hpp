// jkjav-admin's exit codes, the same for every command (docs/admin.md).
#pragma once

namespace jkjav::cmd {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;        // Redis unreachable or failing, a file not readable
inline constexpr int kExitBadArguments = 2;  // the command line itself is wrong
inline constexpr int kExitRefused = 3;       // understood, but the data says no (no such booking, ...)
inline constexpr int kExitDifferences = 4;   // reconcile: Redis and PostgreSQL disagree

}  // namespace jkjav::cmd
