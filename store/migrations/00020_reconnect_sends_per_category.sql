-- +goose Up
-- A reconnect message to a client overdue in several categories names them all (seed
-- 003: "Contact All Overdue Clients … for every service you offer"): one row per
-- (message, category), so the sent / reconnected / revenue figures and the follow-up are
-- kept for each category the message was about.
CREATE TABLE reconnect_sends_new (
    message_id          INTEGER NOT NULL REFERENCES messages(id),
    venue_id            INTEGER NOT NULL REFERENCES venues(id),
    client_id           INTEGER NOT NULL REFERENCES clients(id),
    category_id         INTEGER NOT NULL REFERENCES service_categories(id),
    followup            INTEGER NOT NULL DEFAULT 0,   -- 1: this message is the follow-up
    followed_up_at      INTEGER,                      -- on a first message: when its follow-up was queued
    created_at          INTEGER NOT NULL,
    PRIMARY KEY (message_id, category_id)
);
INSERT INTO reconnect_sends_new (message_id, venue_id, client_id, category_id, followup, followed_up_at, created_at)
    SELECT message_id, venue_id, client_id, category_id, followup, followed_up_at, created_at FROM reconnect_sends;
DROP TABLE reconnect_sends;
ALTER TABLE reconnect_sends_new RENAME TO reconnect_sends;
CREATE INDEX reconnect_sends_venue ON reconnect_sends(venue_id, category_id, created_at);
CREATE INDEX reconnect_sends_client ON reconnect_sends(venue_id, client_id, category_id);

-- +goose Down
SELECT 'down migrations are not supported';
