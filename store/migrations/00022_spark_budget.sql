-- +goose Up
-- The monthly Spark budget (SPEC §10): each venue's allowance, refilled at the start of
-- every venue month (sparks is what is left of it), and the month whose 80% notice has
-- been sent, so it goes once a month.
ALTER TABLE venues ADD COLUMN spark_allowance INTEGER NOT NULL DEFAULT 200;
ALTER TABLE venues ADD COLUMN spark_month TEXT NOT NULL DEFAULT '';   -- the venue month the balance is for ('' = refill on first use)
ALTER TABLE venues ADD COLUMN spark_alerted TEXT NOT NULL DEFAULT ''; -- the venue month of the last 80% notice

-- +goose Down
SELECT 'down migrations are not supported';
