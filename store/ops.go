package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// MessageTally is how many messages have one channel, provider and status.
type MessageTally struct {
	Channel, Provider, Status string
	Count                     int64
	Oldest                    time.Time // the oldest message's creation
}

// MessageTallies counts every venue's messages by channel, provider and status for the
// operator's metrics. It is deliberately across venues (the operator watches the whole
// install), and one grouped scan answers both the counts and the oldest queued message.
func (s *Store) MessageTallies(ctx context.Context) ([]MessageTally, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT channel, provider, status, count(*), min(created_at)
		FROM messages GROUP BY channel, provider, status`)
	if err != nil {
		return nil, fmt.Errorf("store: message tallies: %w", err)
	}
	defer rows.Close()
	var out []MessageTally
	for rows.Next() {
		var t MessageTally
		var oldest sql.NullInt64
		if err := rows.Scan(&t.Channel, &t.Provider, &t.Status, &t.Count, &oldest); err != nil {
			return nil, fmt.Errorf("store: message tallies: %w", err)
		}
		t.Oldest = fromUnix(oldest)
		out = append(out, t)
	}
	return out, rows.Err()
}
