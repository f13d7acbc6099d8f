-- +goose Up
-- When a client was last contacted, kept by the transaction that queues each outbound
-- message, so the audience filters "recently messaged" (marketing, 30 days) and "cooldown" (any, 24
-- hours) filters read two columns instead of the message history. A queued message
-- counts even if it later fails: erring towards not messaging twice.
ALTER TABLE clients ADD COLUMN last_marketing_at INTEGER;
ALTER TABLE clients ADD COLUMN last_outbound_at INTEGER;
UPDATE clients SET
    last_marketing_at = (SELECT max(created_at) FROM messages m WHERE m.venue_id = clients.venue_id AND m.client_id = clients.id
        AND m.direction = 'out' AND m.marketing = 1 AND m.status <> 'failed'),
    last_outbound_at = (SELECT max(created_at) FROM messages m WHERE m.venue_id = clients.venue_id AND m.client_id = clients.id
        AND m.direction = 'out' AND m.status <> 'failed');

-- +goose Down
SELECT 'down migrations are not supported';
