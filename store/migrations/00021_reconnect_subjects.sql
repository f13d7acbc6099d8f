-- +goose Up
-- The subjects of the reconnect emails, set beside their templates ('' = the built-in
-- subject, so an email never goes without one).
ALTER TABLE venues ADD COLUMN reconnect_subject TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN reconnect_followup_subject TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 'down migrations are not supported';
