#include "adapters/postgres/schema_migrations.hpp"

#include <pqxx/pqxx>
#include <string_view>

namespace jkjav::embedded {
extern const std::string_view kMigration0001;
}  // namespace jkjav::embedded

namespace jkjav::postgres {
namespace {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

// Append only: a migration once released is never edited; a change is a new file.
const Migration kMigrations[] = {
    {1, "0001_bookings", embedded::kMigration0001},
};

// Any fixed number, the same in every recorder: pg_advisory_xact_lock's key for "migrating".
constexpr long long kMigrationLockKey = 0x6a6b6a6176;  // "jkjav"

}  // namespace

std::variant<MigrationReport, std::string> applyMigrations(Connection& connection) {
    MigrationReport report;
    try {
        for (const Migration& migration : kMigrations) {
            pqxx::work tx(connection);
            tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
            tx.exec(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT "
                "NULL, "
                "applied_at timestamptz NOT NULL DEFAULT now())");
            const auto done = tx.exec("SELECT 1 FROM schema_migrations WHERE version = " +
                                      std::to_string(migration.version));
            if (done.empty()) {
                tx.exec(std::string(migration.sql));
                tx.exec("INSERT INTO schema_migrations (version, name) VALUES (" +
                        std::to_string(migration.version) + ", " + tx.quote(std::string(migration.name)) +
                        ")");
                ++report.applied;
            }
            tx.commit();
            report.version = migration.version;
        }
    } catch (const std::exception& e) {
        return std::string("postgres: migrating the schema: ") + e.what();
    }
    return report;
}

}  // namespace jkjav::postgres
