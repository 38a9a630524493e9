// The schema's versioned migrations (migrations/NNNN_*.sql, embedded at build time), applied in
// order, each once, each in its own transaction.
#pragma once

#include <optional>
#include <string>

#include "adapters/postgres/postgres_connection.hpp"

namespace jkjav::postgres {

struct MigrationReport {
    int applied = 0;  // migrations applied now (0: the schema was current)
    int version = 0;  // the schema's version afterwards
};

// Under a transaction-scoped advisory lock, so recorders starting together apply each migration
// once: the others wait, then find it in schema_migrations. The reason when it failed.
std::variant<MigrationReport, std::string> applyMigrations(Connection& connection);

}  // namespace jkjav::postgres
