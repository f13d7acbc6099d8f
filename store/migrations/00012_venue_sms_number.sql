-- +goose Up
-- Each venue's SMS sending number: the Twilio number its texts go out from and
-- replies come back to. Empty means the instance's default (TWILIO_FROM). Several
-- venues may share one number, so it is not unique.
ALTER TABLE venues ADD COLUMN sms_from TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE venues DROP COLUMN sms_from;
