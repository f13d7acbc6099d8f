-- +goose Up
-- Sign-in codes are limited per destination: the email a code was sent to (email-only
-- venues) is kept beside the phone it signs in, and a code is only good for that pair.
-- ip now holds the client's network (an IPv6 /64), see salon.ClientNetwork.
ALTER TABLE otp_codes ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE INDEX otp_codes_phone_any ON otp_codes(phone, created_at);
CREATE INDEX otp_codes_email ON otp_codes(email, created_at) WHERE email <> '';
CREATE INDEX otp_codes_venue_time ON otp_codes(venue_id, created_at);

-- One-time codes are no longer stored in message bodies (staff could read them and
-- sign in as the client). Only while a message is handed to the outbox provider (the
-- demo: nothing is really sent) is its code kept here, shown to Owners as a demo aid.
CREATE TABLE outbox_codes (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id),
    venue_id    INTEGER NOT NULL REFERENCES venues(id),
    code        TEXT NOT NULL
);

-- Mask the codes already written in plain text ("… code is 123456. …").
UPDATE messages SET body = substr(body, 1, instr(body, 'code is ') + 7) || '******' || substr(body, instr(body, 'code is ') + 14)
WHERE purpose = 'otp' AND instr(body, 'code is ') > 0;

-- +goose Down
SELECT 'down migrations are not supported';
