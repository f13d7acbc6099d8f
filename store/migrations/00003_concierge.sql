-- +goose Up
-- The Concierge: chat turns, actions with their lifecycle, flash deals, automation switches.

CREATE TABLE chat_turns (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    author          TEXT NOT NULL CHECK (author IN ('user','concierge')),
    body            TEXT NOT NULL,
    client_id       INTEGER REFERENCES clients(id),  -- a client looked up in this turn (chat context)
    created_at      INTEGER NOT NULL
);
CREATE INDEX chat_turns_user ON chat_turns(venue_id, user_id, id);

CREATE TABLE actions (
    id                  INTEGER PRIMARY KEY,
    venue_id            INTEGER NOT NULL REFERENCES venues(id),
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    tier                TEXT NOT NULL CHECK (tier IN ('navigate','draft','approval')),
    created_by          INTEGER NOT NULL REFERENCES users(id),
    turn_id             INTEGER REFERENCES chat_turns(id),
    title               TEXT NOT NULL DEFAULT '',
    channel             TEXT NOT NULL DEFAULT 'sms',
    subject             TEXT NOT NULL DEFAULT '',
    body                TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    destination         TEXT NOT NULL DEFAULT '',
    client_id           INTEGER REFERENCES clients(id),
    booking_id          INTEGER REFERENCES bookings(id),
    params              TEXT NOT NULL DEFAULT '{}',   -- JSON: gap, cohort, window, proposed slot…
    refines             INTEGER NOT NULL DEFAULT 0,
    audience            INTEGER NOT NULL DEFAULT 0,
    cost_e4             INTEGER NOT NULL DEFAULT 0,
    result_summary      TEXT NOT NULL DEFAULT '',
    result_link         TEXT NOT NULL DEFAULT '',
    decided_by          INTEGER REFERENCES users(id),
    decided_at          INTEGER,
    reject_reason       TEXT NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    queued_at           INTEGER,
    expires_at          INTEGER,
    executed_at         INTEGER
);
CREATE INDEX actions_venue_status ON actions(venue_id, status, expires_at);
CREATE INDEX actions_turn ON actions(turn_id);

CREATE TABLE deals (
    id                  INTEGER PRIMARY KEY,
    venue_id            INTEGER NOT NULL REFERENCES venues(id),
    token               TEXT NOT NULL UNIQUE,
    action_id           INTEGER REFERENCES actions(id),
    staff_id            INTEGER NOT NULL REFERENCES staff(id),
    service_id          INTEGER NOT NULL REFERENCES services(id),
    start_at            INTEGER NOT NULL,
    end_at              INTEGER NOT NULL,
    price_minor         INTEGER NOT NULL,
    discount_pct        INTEGER NOT NULL CHECK (discount_pct BETWEEN 0 AND 90),
    deal_price_minor    INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    booking_id          INTEGER REFERENCES bookings(id),
    created_by          INTEGER REFERENCES users(id),
    created_at          INTEGER NOT NULL
);
CREATE INDEX deals_venue ON deals(venue_id, start_at);

-- Per-client aggregates (lapsed, regulars, spend) read only this index.
CREATE INDEX bookings_client_status ON bookings(venue_id, client_id, status, start_at, price_minor);

-- Visit facts kept on the client by every booking write (store.refreshVisits), so the
-- lapsed and new-client cohorts read one row per client instead of all history:
-- first and last completed visit, and the latest start of a booked appointment
-- (a future booking exists exactly when last_booked_at > now).
ALTER TABLE clients ADD COLUMN first_visit_at INTEGER;
ALTER TABLE clients ADD COLUMN last_visit_at INTEGER;
ALTER TABLE clients ADD COLUMN last_booked_at INTEGER;
UPDATE clients SET
    first_visit_at = (SELECT min(start_at) FROM bookings b WHERE b.venue_id = clients.venue_id AND b.client_id = clients.id AND b.status = 'completed'),
    last_visit_at = (SELECT max(start_at) FROM bookings b WHERE b.venue_id = clients.venue_id AND b.client_id = clients.id AND b.status = 'completed'),
    last_booked_at = (SELECT max(start_at) FROM bookings b WHERE b.venue_id = clients.venue_id AND b.client_id = clients.id AND b.status = 'booked');
CREATE INDEX clients_last_visit ON clients(venue_id, last_visit_at);

ALTER TABLE venues ADD COLUMN reconnect_automation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN rebook_prompt_days INTEGER NOT NULL DEFAULT 0;  -- 0: off

-- +goose Down
SELECT 'down migrations are not supported';
