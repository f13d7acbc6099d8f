-- +goose Up
-- The venue profile shown on the public pages (/book/{slug}, /deals/{token}): address,
-- phone (E.164), the booking page's intro and the cancellation window in hours. The
-- logo lives in the database (one row per venue), so a backup holds it too.
ALTER TABLE venues ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN booking_intro TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN cancel_window_hours INTEGER NOT NULL DEFAULT 24 CHECK (cancel_window_hours BETWEEN 0 AND 168);

CREATE TABLE venue_logos (
    venue_id        INTEGER PRIMARY KEY REFERENCES venues(id),
    content_type    TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    data            BLOB NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- +goose Down
SELECT 'down migrations are not supported';
