-- +goose Up
-- Client search filters and pages on this covering index alone: the count and the
-- page of ids never touch the table, and only the 25 rows shown are read from it.
CREATE INDEX clients_search ON clients(venue_id, last_name, first_name, id, search_text);
DROP INDEX clients_venue_name;

-- +goose Down
CREATE INDEX clients_venue_name ON clients(venue_id, last_name, first_name, id);
DROP INDEX clients_search;
