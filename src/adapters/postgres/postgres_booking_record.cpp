#include "adapters/postgres/postgres_booking_record.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <tuple>
#include <unordered_set>

#include "domain/person_id.hpp"

namespace jkjav::postgres {
namespace {

// Per connection; emptied at every commit. seq keeps the events' order within the batch.
constexpr const char* kCreateStaging = R"(
CREATE TEMP TABLE IF NOT EXISTS recorder_staging (
    seq integer NOT NULL, event_id text NOT NULL, type text NOT NULL, occurred_at timestamptz NOT NULL,
    reference text NOT NULL, person_id text NOT NULL, first_name text NOT NULL, last_name text NOT NULL,
    phone text NOT NULL, address text NOT NULL, location text NOT NULL, date date NOT NULL, reason text NOT NULL
) ON COMMIT DELETE ROWS)";

// 1. The eventIds: those already recorded (a redelivery) leave the staging table, so only
//    first-time events have an effect. (Repeats within one batch never reach it: record() drops them.)
constexpr const char* kKeepFreshEvents = R"(
WITH fresh AS (
    INSERT INTO processed_events (event_id, type, reference, occurred_at)
    SELECT event_id, type, reference, occurred_at FROM recorder_staging
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id)
DELETE FROM recorder_staging s WHERE NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.event_id = s.event_id))";

// 2. Cancellations, first, so a person's new booking after a cancelled one finds the old one
//    inactive. A cancellation whose creation was not seen yet inserts the whole row as cancelled
//    (it carries every field but the creation time): a tombstone the creation later completes.
//    A booking is cancelled at most once (cancel.lua deletes it), so a cancellation always sets
//    the time and reason, replacing what step 5 may have inferred before it came.
constexpr const char* kApplyCancellations = R"(
INSERT INTO bookings AS b (reference, person_id, first_name, last_name, phone, address, location, date,
                           created_at, cancelled_at, cancel_reason)
SELECT DISTINCT ON (s.reference) s.reference, s.person_id, s.first_name, s.last_name, s.phone, s.address,
       s.location, s.date, c.created_at, s.occurred_at, NULLIF(s.reason, '')
FROM recorder_staging s
LEFT JOIN (SELECT reference, min(occurred_at) AS created_at FROM recorder_staging
           WHERE type = 'booking.created' GROUP BY reference) c ON c.reference = s.reference
WHERE s.type = 'booking.cancelled' ORDER BY s.reference, s.seq
ON CONFLICT (reference) DO UPDATE SET
    created_at = COALESCE(b.created_at, EXCLUDED.created_at),
    cancel_reason = EXCLUDED.cancel_reason,
    cancelled_at = EXCLUDED.cancelled_at)";

// 3. A creation whose cancellation came in an earlier batch completes the tombstone.
constexpr const char* kCompleteTombstones = R"(
UPDATE bookings b SET created_at = s.occurred_at
FROM recorder_staging s
WHERE s.type = 'booking.created' AND b.reference = s.reference AND b.created_at IS NULL)";

// 4. The other creations. DO NOTHING covers both unique keys: a reference already there (handled
//    above) and a person who still holds another active booking (step 5).
constexpr const char* kApplyCreations = R"(
INSERT INTO bookings (reference, person_id, first_name, last_name, phone, address, location, date, created_at)
SELECT reference, person_id, first_name, last_name, phone, address, location, date, occurred_at
FROM recorder_staging WHERE type = 'booking.created' ORDER BY seq
ON CONFLICT DO NOTHING)";

// 5. A creation for a person who holds another active booking here. Redis never holds two at once,
//    so the older of the two has ended: its cancellation is still on its way (events of two
//    bookings of one person can cross, e.g. one claimed from a crashed relay and published after a
//    newer one). The older one is marked cancelled at the newer one's creation, without a reason,
//    until its own cancellation arrives and sets both (step 2). Older: by occurredAt; on a tie the
//    one arriving now counts as the newer.
constexpr const char* kEndOlderActiveBookings = R"(
UPDATE bookings b SET cancelled_at = s.occurred_at
FROM recorder_staging s
WHERE s.type = 'booking.created' AND b.person_id = s.person_id AND b.cancelled_at IS NULL
  AND b.reference <> s.reference AND b.created_at <= s.occurred_at
  AND NOT EXISTS (SELECT 1 FROM bookings r WHERE r.reference = s.reference))";

constexpr const char* kInsertOlderAsEnded = R"(
INSERT INTO bookings (reference, person_id, first_name, last_name, phone, address, location, date, created_at,
                      cancelled_at)
SELECT s.reference, s.person_id, s.first_name, s.last_name, s.phone, s.address, s.location, s.date, s.occurred_at,
       a.created_at
FROM recorder_staging s
JOIN bookings a ON a.person_id = s.person_id AND a.cancelled_at IS NULL AND a.reference <> s.reference
WHERE s.type = 'booking.created' AND NOT EXISTS (SELECT 1 FROM bookings r WHERE r.reference = s.reference)
ON CONFLICT DO NOTHING)";

constexpr const char* kCountUnrecordedCreations = R"(
SELECT count(*) FROM recorder_staging s
WHERE s.type = 'booking.created' AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.reference = s.reference))";

constexpr const char* kCountByType = R"(
SELECT count(*) FILTER (WHERE type = 'booking.created'), count(*) FILTER (WHERE type = 'booking.cancelled')
FROM recorder_staging)";

const std::vector<std::string> kStagingColumns = {
    "seq",       "event_id", "type",    "occurred_at", "reference", "person_id", "first_name",
    "last_name", "phone",    "address", "location",    "date",      "reason"};

}  // namespace

PostgresBookingRecord::PostgresBookingRecord(std::string url) : url_(std::move(url)) {}
PostgresBookingRecord::~PostgresBookingRecord() = default;

bool PostgresBookingRecord::ensureConnected() {
    if (connection_ && connection_->is_open()) return true;
    connection_.reset();
    auto opened = connect(url_);
    if (auto* problem = std::get_if<std::string>(&opened)) {
        spdlog::warn("recorder: {}", *problem);
        return false;
    }
    connection_ = std::move(std::get<ConnectionPtr>(opened));
    try {
        pqxx::nontransaction setup(*connection_);
        setup.exec(kCreateStaging);
    } catch (const std::exception& e) {
        spdlog::warn("recorder: postgres: preparing the staging table: {}", e.what());
        connection_.reset();
        return false;
    }
    spdlog::info("recorder: connected to PostgreSQL");
    return true;
}

app::RecordResult PostgresBookingRecord::record(std::span<const domain::BookingEvent> events) {
    app::RecordResult result;
    if (!ensureConnected()) return result;
    try {
        pqxx::work tx(*connection_);
        {
            pqxx::stream_to staging(tx, "recorder_staging", kStagingColumns);
            int seq = 0;
            std::unordered_set<std::string_view> seen;
            seen.reserve(events.size());
            for (const domain::BookingEvent& event : events) {
                if (!seen.insert(event.eventId).second) {
                    ++result.duplicates;  // delivered twice within this batch
                    continue;
                }
                const domain::Booking& b = event.booking;
                staging << std::make_tuple(seq++, event.eventId, event.type, event.occurredAt, b.reference,
                                           b.mysejahteraId, b.firstName, b.lastName, b.phoneNumber, b.address,
                                           b.location, b.date, event.reason);
            }
            staging.complete();
        }
        const auto kept = tx.exec(kKeepFreshEvents);
        result.duplicates += kept.affected_rows();
        const auto counts = tx.exec1(kCountByType);
        const auto created = counts[0].as<std::size_t>();
        result.cancelled = counts[1].as<std::size_t>();
        if (result.cancelled > 0) tx.exec(kApplyCancellations);
        const std::size_t inserted = created > 0 ? tx.exec(kApplyCreations).affected_rows() : 0;
        result.created = created;
        // Only when some creation inserted no row: a tombstone to complete, or a refused one.
        if (inserted < created) {
            tx.exec(kCompleteTombstones);
            const auto ended = tx.exec(kEndOlderActiveBookings).affected_rows();
            if (ended > 0) tx.exec(kApplyCreations);
            const auto endedOnArrival = tx.exec(kInsertOlderAsEnded).affected_rows();
            if (ended + endedOnArrival > 0) {
                spdlog::info(
                    "recorder: {} booking(s) marked cancelled ahead of their cancellation: the same person's "
                    "later booking arrived first",
                    ended + endedOnArrival);
            }
            result.conflicts = tx.exec1(kCountUnrecordedCreations)[0].as<std::size_t>();
            result.created -= result.conflicts;
        }
        tx.commit();
        result.stored = true;
        if (result.conflicts > 0) {
            spdlog::warn(
                "recorder: {} booking.created event(s) not applied: no row could be written for them "
                "(jkjav-admin reconcile shows whom)",
                result.conflicts);
        }
    } catch (const pqxx::broken_connection& e) {
        spdlog::warn("recorder: postgres connection lost: {}", domain::maskPersonalInText(e.what()));
        connection_.reset();
    } catch (const pqxx::in_doubt_error& e) {
        // The commit may or may not have happened: the retry finds its eventIds if it did.
        spdlog::warn("recorder: postgres commit in doubt: {}", domain::maskPersonalInText(e.what()));
        connection_.reset();
    } catch (const std::exception& e) {
        // PostgreSQL quotes values in its messages: masked, as every log line with personal data.
        spdlog::error("recorder: postgres refused the batch: {}", domain::maskPersonalInText(e.what()));
        if (connection_ && !connection_->is_open()) connection_.reset();
    }
    if (!result.stored) return {};  // nothing of a failed batch counts
    return result;
}

}  // namespace jkjav::postgres
