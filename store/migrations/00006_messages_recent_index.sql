-- +goose Up
-- The audience filters read the last 30 days of outbound messages per client; this
-- covers that read so it never touches the message bodies.
CREATE INDEX messages_recent ON messages(venue_id, created_at, direction, status, marketing, client_id);

-- +goose Down
DROP INDEX messages_recent;
