-- +goose Up
-- Online booking: phone sign-in codes, booking drafts, the waitlist.
CREATE TABLE otp_codes (
    id          INTEGER PRIMARY KEY,
    venue_id    INTEGER NOT NULL REFERENCES venues(id),
    phone       TEXT NOT NULL,
    code_hash   TEXT NOT NULL,          -- sha256 of the code: the code itself is never stored
    ip          TEXT NOT NULL,
    tries       INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX otp_codes_phone ON otp_codes(venue_id, phone, created_at);
CREATE INDEX otp_codes_ip ON otp_codes(ip, created_at);

-- A client's booking in progress, captured when they reach Review. status: active
-- (within their 10 minutes), incomplete (abandoned), converted, dismissed, expired.
CREATE TABLE booking_drafts (
    id                  INTEGER PRIMARY KEY,
    venue_id            INTEGER NOT NULL REFERENCES venues(id),
    client_id           INTEGER NOT NULL REFERENCES clients(id),
    service_ids         TEXT NOT NULL,      -- "id,id"
    staff_id            INTEGER NOT NULL DEFAULT 0,  -- 0: any team member
    start_at            INTEGER NOT NULL,
    notes               TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('active', 'incomplete', 'converted', 'dismissed', 'expired')),
    review_started_at   INTEGER NOT NULL,
    last_engaged_at     INTEGER NOT NULL,
    incomplete_at       INTEGER,
    reminder_sent_at    INTEGER,            -- this abandonment's reminder
    booking_id          INTEGER REFERENCES bookings(id),
    created_at          INTEGER NOT NULL
);
-- One live draft per client: returning updates it.
CREATE UNIQUE INDEX booking_drafts_live ON booking_drafts(venue_id, client_id) WHERE status IN ('active', 'incomplete', 'dismissed');
CREATE INDEX booking_drafts_status ON booking_drafts(status, review_started_at);

CREATE TABLE waitlist_entries (
    id          INTEGER PRIMARY KEY,
    venue_id    INTEGER NOT NULL REFERENCES venues(id),
    client_id   INTEGER NOT NULL REFERENCES clients(id),
    service_ids TEXT NOT NULL,
    days        TEXT NOT NULL DEFAULT '',   -- weekdays "1,3" (Sunday = 0); '' = any
    times       TEXT NOT NULL DEFAULT '',   -- bands "morning,evening"; '' = any
    notes       TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX waitlist_entries_venue ON waitlist_entries(venue_id, created_at);

ALTER TABLE venues ADD COLUMN incomplete_reminder_sms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN incomplete_reminder_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN incomplete_reminder_template TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 'down migrations are not supported';
