-- +goose Up
-- Twelve-month completed visits and spend per client, for the VIP, top-spender and
-- regulars cohorts. Refreshed per client by every booking write, and for the whole
-- venue when the day changes (the 12-month window moves): venues.stats_day says which
-- day the venue's figures are for.
ALTER TABLE clients ADD COLUMN visits_12m INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN spend_12m INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN stats_day TEXT NOT NULL DEFAULT '';
CREATE INDEX clients_spend ON clients(venue_id, spend_12m);
-- The VIP tag test, indexed as the very expression the VIP cohort uses.
CREATE INDEX clients_vip_tag ON clients(venue_id, instr(';' || lower(tags) || ';', ';vip;'));

-- +goose Down
SELECT 'down migrations are not supported';
