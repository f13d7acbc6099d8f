-- +goose Up
-- Backfill ranking. Each client's booking rhythm over their completed visits of
-- the last 12 months, kept by every booking write and for the whole venue when the day
-- changes (with the year figures of 00004). Only clients with 3+ such visits (the
-- ranking's eligibility floor; 3 in 12 months implies 3 lifetime) have a row. Small
-- histograms are text: weekdays "n0,…,n6" (Sunday first), bands "morning,afternoon,
-- evening", staff and services "id:n,id:n".
CREATE TABLE client_profiles (
    client_id       INTEGER PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    visits          INTEGER NOT NULL,
    interval_days   REAL NOT NULL,
    usual_minutes   INTEGER NOT NULL,
    lead_hours      REAL NOT NULL,
    weekdays        TEXT NOT NULL,
    bands           TEXT NOT NULL,
    staff           TEXT NOT NULL,
    services        TEXT NOT NULL,
    last_visit_at   INTEGER NOT NULL
);
CREATE INDEX client_profiles_venue ON client_profiles(venue_id);

-- A gap offered to a few ranked clients: the first YES books it.
CREATE TABLE gap_offers (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    service_id      INTEGER NOT NULL REFERENCES services(id),
    start_at        INTEGER NOT NULL,
    end_at          INTEGER NOT NULL,
    body            TEXT NOT NULL,
    created_by      INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    booking_id      INTEGER REFERENCES bookings(id)
);
CREATE INDEX gap_offers_venue ON gap_offers(venue_id, start_at);
ALTER TABLE messages ADD COLUMN offer_id INTEGER REFERENCES gap_offers(id);
-- One offer message per (offer, client).
CREATE UNIQUE INDEX messages_offer_client ON messages(offer_id, client_id) WHERE offer_id IS NOT NULL;

-- +goose Down
SELECT 'down migrations are not supported';
