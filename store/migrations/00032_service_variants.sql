-- +goose Up
-- Service variants: options of a service that add time and price ("Long hair": +30
-- min, +A$20), chosen on the booking page. A booking keeps the variant of each
-- service; a draft keeps the client's choice as "service:variant,…".
CREATE TABLE service_variants (
    id                  INTEGER PRIMARY KEY,
    venue_id            INTEGER NOT NULL REFERENCES venues(id),
    service_id          INTEGER NOT NULL REFERENCES services(id),
    name                TEXT NOT NULL,
    extra_min           INTEGER NOT NULL DEFAULT 0 CHECK (extra_min >= 0),
    extra_price_minor   INTEGER NOT NULL DEFAULT 0 CHECK (extra_price_minor >= 0),
    archived            INTEGER NOT NULL DEFAULT 0,
    UNIQUE (service_id, name)
);
CREATE INDEX service_variants_venue ON service_variants(venue_id, service_id);
ALTER TABLE booking_services ADD COLUMN variant_id INTEGER REFERENCES service_variants(id);
ALTER TABLE booking_drafts ADD COLUMN variant_ids TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 'down migrations are not supported';
