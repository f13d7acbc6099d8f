package app

import (
	"context"
	"sync"

	"concierge/salon"
)

// The chat's client-name index, kept in memory per venue: building it reads every
// client's name (30 ms and more on 10,000 clients), so it is rebuilt only when the
// venue's names changed (store.ClientNamesVersion, one indexed read per turn). At most
// nameCacheVenues venues are kept; the least recently used goes first.

const nameCacheVenues = 64

type nameCache struct {
	mu      sync.Mutex
	entries map[int64]*nameEntry
	tick    uint64
}

type nameEntry struct {
	version int64
	ix      *salon.NameIndex
	used    uint64
}

// NameIndex returns the venue's client-name index, current as of this call.
func (s *Service) NameIndex(ctx context.Context, venueID int64) (*salon.NameIndex, error) {
	version, err := s.Store.ClientNamesVersion(ctx, venueID)
	if err != nil {
		return nil, err
	}
	c := &s.names
	c.mu.Lock()
	if e, ok := c.entries[venueID]; ok && e.version == version {
		c.tick++
		e.used = c.tick
		c.mu.Unlock()
		return e.ix, nil
	}
	c.mu.Unlock()
	names, err := s.Store.ClientNames(ctx, venueID)
	if err != nil {
		return nil, err
	}
	ix := salon.NewNameIndex(names)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[int64]*nameEntry{}
	}
	if _, ok := c.entries[venueID]; !ok && len(c.entries) >= nameCacheVenues {
		var oldest int64
		for id, e := range c.entries {
			if oldest == 0 || e.used < c.entries[oldest].used {
				oldest = id
			}
		}
		delete(c.entries, oldest)
	}
	c.tick++
	c.entries[venueID] = &nameEntry{version: version, ix: ix, used: c.tick}
	return ix, nil
}
