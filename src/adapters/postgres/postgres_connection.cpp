#include "adapters/postgres/postgres_connection.hpp"

#include <pqxx/pqxx>

namespace jkjav::postgres {

std::string withConnectTimeout(const std::string& url) {
    if (url.find("connect_timeout") != std::string::npos) return url;
    const bool isUri = url.starts_with("postgres://") || url.starts_with("postgresql://");
    if (!isUri) return url + " connect_timeout=5";
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=5";
}

void ConnectionDeleter::operator()(Connection* connection) const { delete connection; }

std::variant<ConnectionPtr, std::string> connect(const std::string& url) {
    try {
        ConnectionPtr connection(new Connection(withConnectTimeout(url)));
        pqxx::nontransaction setup(*connection);
        setup.exec("SET statement_timeout = '30s'");
        setup.exec("SET lock_timeout = '10s'");
        return connection;
    } catch (const std::exception& e) {
        // libpq's message names host and port, never the password.
        return std::string("postgres: ") + e.what();
    }
}

}  // namespace jkjav::postgres
