-- +goose Up
-- A per-venue counter of changes to client names, kept by triggers on every write path
-- (the app, imports, bulk loads): the chat's in-memory name index is rebuilt only when
-- the counter has moved, instead of reading every client's name on every turn.
CREATE TABLE client_name_versions (
    venue_id INTEGER PRIMARY KEY REFERENCES venues(id) ON DELETE CASCADE,
    version  INTEGER NOT NULL DEFAULT 0
);

-- +goose StatementBegin
CREATE TRIGGER client_names_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_name_versions (venue_id, version) VALUES (NEW.venue_id, 1)
        ON CONFLICT (venue_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER client_names_update AFTER UPDATE OF first_name, last_name, venue_id ON clients BEGIN
    INSERT INTO client_name_versions (venue_id, version) VALUES (NEW.venue_id, 1)
        ON CONFLICT (venue_id) DO UPDATE SET version = version + 1;
    INSERT INTO client_name_versions (venue_id, version) VALUES (OLD.venue_id, 1)
        ON CONFLICT (venue_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER client_names_delete AFTER DELETE ON clients BEGIN
    INSERT INTO client_name_versions (venue_id, version) VALUES (OLD.venue_id, 1)
        ON CONFLICT (venue_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER client_names_delete;
DROP TRIGGER client_names_update;
DROP TRIGGER client_names_insert;
DROP TABLE client_name_versions;
