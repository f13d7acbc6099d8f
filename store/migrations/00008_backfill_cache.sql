-- +goose Up
-- The backfill ranking keeps each venue's profiles in memory; this counter, bumped
-- whenever profiles are rewritten, tells it when its copy is stale.
ALTER TABLE venues ADD COLUMN profiles_version INTEGER NOT NULL DEFAULT 0;
-- The few clients who can never be offered anything (blocked, opted out, no contact),
-- found without reading every client.
CREATE INDEX clients_unreachable ON clients(venue_id)
    WHERE blocked = 1 OR sms_opt_out = 1 OR email_opt_out = 1 OR phone = '' OR email = '';

-- +goose Down
SELECT 'down migrations are not supported';
