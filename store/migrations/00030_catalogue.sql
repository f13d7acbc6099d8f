-- +goose Up
-- The catalogue pages: a service's buffer (minutes its team member stays busy after
-- it: cleaning up, processing) and whether clients may book it online. A booking's
-- end includes the buffer, so availability and the overlap rule keep it free.
ALTER TABLE services ADD COLUMN buffer_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_min >= 0);
ALTER TABLE services ADD COLUMN online_bookable INTEGER NOT NULL DEFAULT 1;

-- +goose Down
SELECT 'down migrations are not supported';
