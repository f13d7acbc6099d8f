-- +goose Up
-- Win-back goes through the scheduled-sends queue: status 'scheduled' until
-- scheduled_for, cancellable until it fires; the delay is a venue setting (0–300 s).
ALTER TABLE actions ADD COLUMN scheduled_for INTEGER;
ALTER TABLE venues ADD COLUMN send_delay_seconds INTEGER NOT NULL DEFAULT 30 CHECK (send_delay_seconds BETWEEN 0 AND 300);
CREATE INDEX actions_scheduled ON actions(status, scheduled_for);

-- +goose Down
SELECT 'down migrations are not supported';
