package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"concierge/salon"
)

// Appointment is the booking a message to one client is about: its team member and start
// (the {{StaffName}} and {{Date}} merge fields).
type Appointment struct {
	StaffName string
	Start     time.Time
}

// LatestAppointments returns, for each of the clients that has one, their latest booking
// of a status that started in [from, to): the missed appointment of a no-show, today's
// visit of a review request, the last visit otherwise. One statement for a whole batch;
// it reads the bookings_client_status index per client.
func (s *Store) LatestAppointments(ctx context.Context, venueID int64, clientIDs []int64, status salon.BookingStatus, from, to time.Time) (map[int64]Appointment, error) {
	out := map[int64]Appointment{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	ids, _ := json.Marshal(clientIDs)
	rows, err := s.db.QueryContext(ctx, `SELECT b.client_id, st.name, max(b.start_at) FROM bookings b JOIN staff st ON st.id = b.staff_id
		WHERE b.venue_id = ? AND b.client_id IN (SELECT value FROM json_each(?)) AND b.status = ? AND b.start_at >= ? AND b.start_at < ?
		GROUP BY b.client_id`, venueID, string(ids), string(status), from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: latest appointments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		var a Appointment
		if err := rows.Scan(&id, &a.StaffName, &at); err != nil {
			return nil, err
		}
		a.Start = time.Unix(at, 0).UTC()
		out[id] = a
	}
	return out, rows.Err()
}

// SetRecipients sets the clients an open single-client card goes to (the storefront
// link's group): its client, the group in its parameters, and its count and cost.
func (s *Store) SetRecipients(ctx context.Context, venueID, id, actor, clientID int64, p salon.ActionParams, audience int, costE4 int64) (salon.ConciergeAction, error) {
	b, _ := json.Marshal(p)
	return s.transition(ctx, venueID, id, actor, "edit", []salon.ActionStatus{salon.StatusDrafted}, "", nil,
		`client_id = ?, params = ?, audience = ?, cost_e4 = ?`, clientID, string(b), audience, costE4)
}
