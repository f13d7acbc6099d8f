-- +goose Up
-- Who has seen which notification. A business-wide notification (user_id NULL) is one
-- row for everyone, so "seen" is kept per person here, not in notifications.read_at.
CREATE TABLE notification_reads (
    notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    read_at         INTEGER NOT NULL,
    PRIMARY KEY (notification_id, user_id)
) WITHOUT ROWID;

-- +goose Down
SELECT 'down migrations are not supported';
