package store

import "context"

// AddChatBoundary starts a person's chat afresh in a venue ("New conversation"): turns
// up to now are kept but RecentTurns and ContextClient no longer reach them.
func (s *Store) AddChatBoundary(ctx context.Context, venueID, userID int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO chat_boundaries (venue_id, user_id, after_turn_id, created_at)
		VALUES (?, ?, coalesce((SELECT max(id) FROM chat_turns WHERE venue_id = ? AND user_id = ?), 0), ?)`,
		venueID, userID, venueID, userID, s.now().Unix())
	return mapErr(err, "chat boundary")
}

// chatStartSQL is the id after which a person's current conversation starts (?1 venue,
// ?2 user): the latest boundary's, or 0.
const chatStartSQL = `coalesce((SELECT after_turn_id FROM chat_boundaries WHERE venue_id = ?1 AND user_id = ?2 ORDER BY id DESC LIMIT 1), 0)`
