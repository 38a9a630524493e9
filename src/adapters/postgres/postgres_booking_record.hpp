// BookingRecord on PostgreSQL: a batch of events COPYed into a staging table, then applied with a
// few set-based statements in the same transaction as their eventIds (processed_events).
#pragma once

#include <memory>
#include <string>

#include "adapters/postgres/postgres_connection.hpp"
#include "app/ports/booking_record.hpp"

namespace jkjav::postgres {

class PostgresBookingRecord final : public app::BookingRecord {
  public:
    // Connects lazily: the first record() (and the first after a lost connection) connects.
    explicit PostgresBookingRecord(std::string url);
    ~PostgresBookingRecord() override;
    PostgresBookingRecord(const PostgresBookingRecord&) = delete;
    PostgresBookingRecord& operator=(const PostgresBookingRecord&) = delete;

    app::RecordResult record(std::span<const domain::BookingEvent> events) override;
    // Whether the last attempt reached PostgreSQL (for /healthz and the log: "up", "down").
    [[nodiscard]] bool connected() const { return connection_ != nullptr; }

  private:
    bool ensureConnected();

    std::string url_;
    ConnectionPtr connection_;
};

}  // namespace jkjav::postgres
