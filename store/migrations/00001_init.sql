-- +goose Up
-- Times are unix seconds UTC; money in minor units (_minor) or ten-thousandths of the
-- currency unit (_e4) for SMS prices, message costs and the wallet. Every tenant table
-- carries venue_id and every query filters on it.

CREATE TABLE venues (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    country         TEXT NOT NULL CHECK (country IN ('AU','GB','NZ')),
    time_zone       TEXT NOT NULL,
    quiet_start     INTEGER NOT NULL DEFAULT 1200,
    quiet_end       INTEGER NOT NULL DEFAULT 540,
    solo            INTEGER NOT NULL DEFAULT 0,
    wallet_e4       INTEGER NOT NULL DEFAULT 0 CHECK (wallet_e4 >= 0),
    sparks          INTEGER NOT NULL DEFAULT 0,
    sms_price_e4    INTEGER NOT NULL DEFAULT 0,
    storefront_url  TEXT NOT NULL DEFAULT '',
    review_link     TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    name            TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    user_id         INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (venue_id, name)
);

CREATE TABLE memberships (
    user_id         INTEGER NOT NULL REFERENCES users(id),
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    role            TEXT NOT NULL CHECK (role IN ('owner','manager','staff')),
    manage_waitlist INTEGER NOT NULL DEFAULT 0,
    staff_id        INTEGER REFERENCES staff(id),
    PRIMARY KEY (user_id, venue_id)
);
CREATE INDEX memberships_venue ON memberships(venue_id);

CREATE TABLE staff_hours (
    staff_id        INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_min       INTEGER NOT NULL,
    end_min         INTEGER NOT NULL CHECK (end_min > start_min),
    PRIMARY KEY (staff_id, weekday)
);

CREATE TABLE service_categories (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    name            TEXT NOT NULL,
    UNIQUE (venue_id, name)
);

CREATE TABLE services (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    category_id     INTEGER NOT NULL REFERENCES service_categories(id),
    name            TEXT NOT NULL,
    duration_min    INTEGER NOT NULL CHECK (duration_min > 0),
    price_minor     INTEGER NOT NULL DEFAULT 0,
    archived        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (venue_id, name)
);

CREATE TABLE service_staff (
    service_id      INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    staff_id        INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, staff_id)
);

CREATE TABLE packages (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    name            TEXT NOT NULL,
    price_minor     INTEGER NOT NULL,
    archived        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (venue_id, name)
);

CREATE TABLE package_services (
    package_id      INTEGER NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    service_id      INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (package_id, service_id)
);

CREATE TABLE clients (
    id                      INTEGER PRIMARY KEY,
    venue_id                INTEGER NOT NULL REFERENCES venues(id),
    external_id             TEXT,
    first_name              TEXT NOT NULL,
    last_name               TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    birth_day               INTEGER NOT NULL DEFAULT 0,
    birth_month             INTEGER NOT NULL DEFAULT 0,
    birth_year              INTEGER NOT NULL DEFAULT 0,
    sms_opt_out             INTEGER NOT NULL DEFAULT 0,
    email_opt_out           INTEGER NOT NULL DEFAULT 0,
    blocked                 INTEGER NOT NULL DEFAULT 0,
    notify_sms              INTEGER NOT NULL DEFAULT 1,
    notify_email            INTEGER NOT NULL DEFAULT 1,
    tags                    TEXT NOT NULL DEFAULT '',   -- ';'-joined, e.g. 'Regular;VIP'
    assigned_staff_id       INTEGER REFERENCES staff(id),
    search_text             TEXT NOT NULL DEFAULT '',   -- lower-cased name, phone digits and email, for search
    created_at              INTEGER NOT NULL,
    last_reconnect_sent_at  INTEGER,
    last_campaign_sent_at   INTEGER,
    UNIQUE (venue_id, external_id)
);
CREATE INDEX clients_venue_name ON clients(venue_id, last_name, first_name, id);
CREATE INDEX clients_venue_phone ON clients(venue_id, phone);
CREATE INDEX clients_venue_birthday ON clients(venue_id, birth_month, birth_day);

CREATE TABLE bookings (
    id                          INTEGER PRIMARY KEY,
    venue_id                    INTEGER NOT NULL REFERENCES venues(id),
    external_id                 TEXT,
    client_id                   INTEGER NOT NULL REFERENCES clients(id),
    staff_id                    INTEGER NOT NULL REFERENCES staff(id),
    start_at                    INTEGER NOT NULL,
    end_at                      INTEGER NOT NULL CHECK (end_at > start_at),
    price_minor                 INTEGER NOT NULL DEFAULT 0,
    status                      TEXT NOT NULL CHECK (status IN ('booked','completed','no_show','cancelled')),
    source                      TEXT NOT NULL DEFAULT 'staff',
    notes                       TEXT NOT NULL DEFAULT '',
    created_at                  INTEGER NOT NULL,
    review_request_sent_at      INTEGER,
    no_show_followup_sent_at    INTEGER,
    UNIQUE (venue_id, external_id)
);
CREATE INDEX bookings_staff_time ON bookings(venue_id, staff_id, start_at);
CREATE INDEX bookings_client ON bookings(venue_id, client_id, start_at);
CREATE INDEX bookings_venue_time ON bookings(venue_id, start_at, status);

CREATE TABLE booking_services (
    booking_id      INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    service_id      INTEGER NOT NULL REFERENCES services(id),
    package_id      INTEGER REFERENCES packages(id),
    PRIMARY KEY (booking_id, service_id)
);
CREATE INDEX booking_services_service ON booking_services(service_id);

CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    client_id       INTEGER NOT NULL REFERENCES clients(id),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('unread','open','escalated','closed')),
    last_message_at INTEGER NOT NULL,
    UNIQUE (venue_id, client_id)
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    client_id       INTEGER REFERENCES clients(id),
    channel         TEXT NOT NULL CHECK (channel IN ('sms','email')),
    direction       TEXT NOT NULL CHECK (direction IN ('in','out')),
    purpose         TEXT NOT NULL,
    marketing       INTEGER NOT NULL DEFAULT 0,
    to_addr         TEXT NOT NULL DEFAULT '',
    from_addr       TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    segments        INTEGER NOT NULL DEFAULT 0,
    cost_e4         INTEGER NOT NULL DEFAULT 0,
    provider        TEXT NOT NULL DEFAULT '',
    provider_id     TEXT,
    status          TEXT NOT NULL,
    error           TEXT NOT NULL DEFAULT '',
    action_id       INTEGER,
    wave_id         INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- One message per (action, client): a client is never messaged twice for one action.
CREATE UNIQUE INDEX messages_action_client ON messages(action_id, client_id) WHERE action_id IS NOT NULL;
-- A provider's message id is unique, so a replayed inbound webhook inserts nothing.
CREATE UNIQUE INDEX messages_provider_id ON messages(provider, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX messages_client ON messages(venue_id, client_id, created_at);
CREATE INDEX messages_venue_time ON messages(venue_id, created_at);

CREATE TABLE wallet_ledger (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    amount_e4       INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('top_up','sms','refund')),
    note            TEXT NOT NULL DEFAULT '',
    message_id      INTEGER REFERENCES messages(id),
    user_id         INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX wallet_ledger_venue ON wallet_ledger(venue_id, created_at);

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    user_id         INTEGER REFERENCES users(id),  -- NULL: for the whole business
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    read_at         INTEGER
);
CREATE INDEX notifications_venue ON notifications(venue_id, created_at);

CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    user_id         INTEGER REFERENCES users(id),
    entity          TEXT NOT NULL,
    entity_id       INTEGER NOT NULL,
    event           TEXT NOT NULL,
    before_json     TEXT NOT NULL DEFAULT '',
    after_json      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events(venue_id, entity, entity_id);

-- Installation-wide secrets (the session key) generated on first start.
CREATE TABLE app_secrets (
    name            TEXT PRIMARY KEY,
    value           BLOB NOT NULL
);

-- +goose Down
SELECT 'down migrations are not supported';
