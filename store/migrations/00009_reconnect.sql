-- +goose Up
-- Client Reconnect: each client's rhythm per service category with 3+ completed
-- appointments in it, kept by every booking write and for the whole venue daily (with
-- the backfill profiles). next_booked_at is the latest booked (not yet completed)
-- appointment in the category: a future one means the client is not overdue.
CREATE TABLE client_category_rhythms (
    client_id       INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    category_id     INTEGER NOT NULL REFERENCES service_categories(id),
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    visits          INTEGER NOT NULL,
    interval_days   REAL NOT NULL,
    last_visit_at   INTEGER NOT NULL,
    next_booked_at  INTEGER,
    PRIMARY KEY (client_id, category_id)
);
CREATE INDEX client_category_rhythms_venue ON client_category_rhythms(venue_id, category_id);

-- One row per reconnect message: which category it was for (attribution, follow-up).
CREATE TABLE reconnect_sends (
    message_id          INTEGER PRIMARY KEY REFERENCES messages(id),
    venue_id            INTEGER NOT NULL REFERENCES venues(id),
    client_id           INTEGER NOT NULL REFERENCES clients(id),
    category_id         INTEGER NOT NULL REFERENCES service_categories(id),
    followup            INTEGER NOT NULL DEFAULT 0,   -- 1: this message is the follow-up
    followed_up_at      INTEGER,                      -- on a first message: when its follow-up was queued
    created_at          INTEGER NOT NULL
);
CREATE INDEX reconnect_sends_venue ON reconnect_sends(venue_id, category_id, created_at);
CREATE INDEX reconnect_sends_client ON reconnect_sends(venue_id, client_id, category_id);

-- The venue's reconnect settings.
ALTER TABLE venues ADD COLUMN reconnect_grace_pct INTEGER NOT NULL DEFAULT 20;
ALTER TABLE venues ADD COLUMN reconnect_channel TEXT NOT NULL DEFAULT 'sms' CHECK (reconnect_channel IN ('sms', 'email', 'both'));
ALTER TABLE venues ADD COLUMN reconnect_followup_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE venues ADD COLUMN reconnect_time INTEGER NOT NULL DEFAULT 600;  -- minutes after midnight: the daily automatic send
ALTER TABLE venues ADD COLUMN reconnect_template TEXT NOT NULL DEFAULT '';  -- '' = the built-in text
ALTER TABLE venues ADD COLUMN reconnect_followup_template TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN reconnect_last_run TEXT NOT NULL DEFAULT '';  -- the venue day the automation last ran
ALTER TABLE venues ADD COLUMN rebook_prompt_template TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN rebook_prompt_sent_at INTEGER;

-- One message per (action, client, channel): "both" sends a text and an email.
DROP INDEX messages_action_client;
CREATE UNIQUE INDEX messages_action_client ON messages(action_id, client_id, channel) WHERE action_id IS NOT NULL;

-- +goose Down
SELECT 'down migrations are not supported';
