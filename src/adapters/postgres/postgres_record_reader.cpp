#include "adapters/postgres/postgres_record_reader.hpp"

#include <pqxx/pqxx>

#include "adapters/postgres/postgres_connection.hpp"

namespace jkjav::postgres {

std::variant<app::LedgerView, std::string> readRecordedLedger(const std::string& url) {
    auto opened = connect(url);
    if (auto* problem = std::get_if<std::string>(&opened)) return std::move(*problem);
    Connection& connection = *std::get<ConnectionPtr>(opened);
    app::LedgerView ledger;
    try {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(connection);
        // Dates as Redis writes them (YYYYMMDD), so both sides compare as text.
        for (const auto& row : tx.exec("SELECT person_id, first_name, last_name, address, location, phone, "
                                       "to_char(date, 'YYYYMMDD'), "
                                       "reference FROM bookings WHERE cancelled_at IS NULL")) {
            domain::Booking booking;
            booking.mysejahteraId = row[0].as<std::string>();
            booking.firstName = row[1].as<std::string>();
            booking.lastName = row[2].as<std::string>();
            booking.address = row[3].as<std::string>();
            booking.location = row[4].as<std::string>();
            booking.phoneNumber = row[5].as<std::string>();
            booking.date = row[6].as<std::string>();
            booking.reference = row[7].as<std::string>();
            ledger.active.push_back(std::move(booking));
        }
        for (const auto& row :
             tx.exec("SELECT location, to_char(date, 'YYYYMMDD'), booked FROM booked_counts")) {
            ledger.booked[row[0].as<std::string>() + ":" + row[1].as<std::string>()] = row[2].as<long long>();
        }
        tx.commit();
    } catch (const std::exception& e) {
        return std::string("postgres: reading the record: ") + e.what();
    }
    return ledger;
}

}  // namespace jkjav::postgres
