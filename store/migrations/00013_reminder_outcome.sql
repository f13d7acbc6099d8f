-- +goose Up
-- What an incomplete booking's reminder did: the channels it went on ("sms,email"), or
-- why it did not go. reminder_sent_at alone said "sent" for a reminder the client's
-- preferences had stopped.
ALTER TABLE booking_drafts ADD COLUMN reminder_channels TEXT NOT NULL DEFAULT '';
ALTER TABLE booking_drafts ADD COLUMN reminder_note TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 'down migrations are not supported';
