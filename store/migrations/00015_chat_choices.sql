-- +goose Up
-- A Concierge turn that asked "which client?" keeps the question: the action it was for
-- and the clients offered (JSON), so the choice list survives a reload and only those
-- clients can be chosen.
ALTER TABLE chat_turns ADD COLUMN choices TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE chat_turns DROP COLUMN choices;
