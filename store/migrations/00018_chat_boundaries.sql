-- +goose Up
-- "New conversation": where a person's chat starts afresh. Turns before the latest
-- boundary are kept but no longer shown, and chat context does not reach across it.
CREATE TABLE chat_boundaries (
    id              INTEGER PRIMARY KEY,
    venue_id        INTEGER NOT NULL REFERENCES venues(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    after_turn_id   INTEGER NOT NULL DEFAULT 0,  -- the last turn before the boundary
    created_at      INTEGER NOT NULL
);
CREATE INDEX chat_boundaries_user ON chat_boundaries(venue_id, user_id, id);

-- +goose Down
SELECT 'down migrations are not supported';
