// Opening a PostgreSQL connection from a libpq URI (DATABASE_URL) with jkjav's bounds.
#pragma once

#include <memory>
#include <string>
#include <variant>

namespace pqxx {
template <typename Policy>
class basic_connection_base;
class connect_direct;
}  // namespace pqxx

namespace jkjav::postgres {

using Connection = pqxx::basic_connection_base<pqxx::connect_direct>;  // pqxx::connection
// Deletes where libpqxx is included, so code that only holds a connection need not include it.
struct ConnectionDeleter {
    void operator()(Connection* connection) const;
};
using ConnectionPtr = std::unique_ptr<Connection, ConnectionDeleter>;

// The URI with connect_timeout=5 added unless it sets one (libpq waits forever by default).
std::string withConnectTimeout(const std::string& url);

// Connected, with statement_timeout set so no statement waits unbounded; or why not (the URI's
// password never appears in it).
std::variant<ConnectionPtr, std::string> connect(const std::string& url);

}  // namespace jkjav::postgres
