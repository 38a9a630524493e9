-- The system of record of jkjav's bookings, written by jkjav-recorder from the booking-slot topic.
-- Applied once, in one transaction, by the recorder at start (schema_migrations says which were).

-- One row per booking reference. A cancelled booking keeps its row, with cancelled_at set.
-- created_at is NULL only while a cancellation has been recorded before its creation (a
-- tombstone: the cancellation carries every field but the creation time, which the creation
-- fills in when it arrives).
CREATE TABLE bookings (
    reference     text PRIMARY KEY,
    person_id     text NOT NULL,
    first_name    text NOT NULL,
    last_name     text NOT NULL,
    phone         text NOT NULL,
    address       text NOT NULL,
    location      text NOT NULL,
    date          date NOT NULL,
    created_at    timestamptz,
    cancelled_at  timestamptz,
    cancel_reason text
);

-- Only one active booking per person, as Redis allows.
CREATE UNIQUE INDEX bookings_one_active_per_person ON bookings (person_id) WHERE cancelled_at IS NULL;
-- A venue's appointment list for a day: WHERE location = $1 AND date = $2 AND cancelled_at IS NULL.
CREATE INDEX bookings_by_location_date ON bookings (location, date) WHERE cancelled_at IS NULL;

-- Every event applied, under its eventId, written in the same transaction as its effect: a
-- redelivered event is found here and changes nothing.
CREATE TABLE processed_events (
    event_id    text PRIMARY KEY,
    type        text NOT NULL,
    reference   text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Active bookings per location and date (what the venue expects that day).
CREATE VIEW booked_counts AS
SELECT location, date, count(*) AS booked
FROM bookings
WHERE cancelled_at IS NULL
GROUP BY location, date;
