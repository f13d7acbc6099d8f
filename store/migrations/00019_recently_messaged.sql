-- +goose Up
-- "Recently messaged" is any outbound message in the last 30 days (the newer OpenChair
-- page's FAQ: "any outbound in last 30 days"): replies, confirmations and reminders
-- count, and so does a send whose outcome is unknown; one the provider refused does not
-- (salon.Message.CountsAsRecentlyMessaged). Kept on the client like the other contact
-- stamps: set when a message is queued, worked out again when one fails.
ALTER TABLE clients ADD COLUMN last_messaged_at INTEGER;
UPDATE clients SET last_messaged_at = (SELECT max(created_at) FROM messages m WHERE m.venue_id = clients.venue_id
    AND m.client_id = clients.id AND m.direction = 'out' AND m.status <> 'failed');

-- +goose Down
SELECT 'down migrations are not supported';
