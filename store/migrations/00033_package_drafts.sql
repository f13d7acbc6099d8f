-- +goose Up
-- A package can be chosen on the booking page: the draft keeps it, and the booking
-- made from it has the package's services (booking_services.package_id), which is how
-- Client Reconnect counts a package.
ALTER TABLE booking_drafts ADD COLUMN package_id INTEGER NOT NULL DEFAULT 0;

-- +goose Down
SELECT 'down migrations are not supported';
