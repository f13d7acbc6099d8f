// Package store keeps everything in one SQLite file: hand-written SQL beside each
// method, one file per aggregate, the clock injected so tests control time.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"concierge/salon"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite-backed store. now is the injected clock.
type Store struct {
	db  *sql.DB
	now func() time.Time
	// stmts caches prepared statements for the hot paths (query text → *sql.Stmt):
	// the driver parses every ad-hoc statement again, which costs more than running
	// a one-row update.
	stmts sync.Map
	// profiles holds each venue's backfill profiles in memory (see RankGap).
	profiles profileCache
	// statsDays holds, per venue id, the venue day its year figures were last seen to be
	// for (see ensureYearStats).
	statsDays sync.Map
	// statements counts the statements run (see Statements).
	statements *atomic.Int64
}

// Open opens (creating if needed) the SQLite file at path with the pragmas every pooled
// connection needs, and applies the embedded migrations.
func Open(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	if err := privateFile(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // Begin takes the write lock at once: no upgrade deadlocks
	connector, err := sqlite.NewConnector("file:" + path + "?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	statements := new(atomic.Int64)
	db := sql.OpenDB(countingConnector{base: connector, n: statements})
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, statements: statements}, nil
}

// privateFile makes sure the database holds its secrets (the session key, password
// hashes, clients' details) for its owner alone: a new file is created 0600 (SQLite
// then gives its -wal and -shm files the same mode), and an existing file, -wal or -shm
// that other local users can read or write is refused with the command that fixes it.
func privateFile(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			return fmt.Errorf("store: %s is open to other users of this machine (mode %04o) and holds password hashes and the session key; "+
				"make it private with: chmod 600 %s*", p, perm, path)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	return f.Close()
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return s.db.Close()
}

// Now is the store's clock, shared with handlers and jobs.
func (s *Store) Now() time.Time { return s.now() }

// DB exposes the handle for benchmarks and maintenance commands.
func (s *Store) DB() *sql.DB { return s.db }

// withTx runs fn in one immediate (write-locked) transaction.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		var keep errCommitAnyway
		if errors.As(err, &keep) { // the writes stand; the caller still gets the error
			if cerr := tx.Commit(); cerr != nil {
				return fmt.Errorf("store: commit: %w", cerr)
			}
			return keep.err
		}
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// prepared returns the cached prepared statement for query, bound to tx when one is
// given (database/sql keeps one driver statement per pooled connection).
func (s *Store) prepared(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, ok := s.stmts.Load(query)
	if !ok {
		fresh, err := s.db.PrepareContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("store: prepare: %w", err)
		}
		var loaded bool
		if st, loaded = s.stmts.LoadOrStore(query, fresh); loaded {
			fresh.Close()
		}
	}
	if tx != nil {
		return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	return st.(*sql.Stmt), nil
}

// errRollback makes withTx roll back a dry run without reporting a failure.
var errRollback = errors.New("store: dry run rollback")

// mapErr turns driver errors into domain errors in one place: a missing row is
// salon.ErrNotFound, a UNIQUE violation a conflict. Never match error strings.
func mapErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return salon.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return salon.Conflict(what + " already exists.")
		}
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// unix stores a time as unix seconds; the zero time is NULL.
func unix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// fromUnix reads a nullable unix-seconds column.
func fromUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// queryer is what read helpers need: a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// nullID stores an id of 0 (none, e.g. a system actor) as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// row is what a scan function reads: *sql.Row or *sql.Rows.
type row = interface{ Scan(...any) error }

// collect reads every row of a query with scan and closes the rows: the one loop over
// a result set (a failed row or iteration is the error, never a short list).
func collect[T any](rows *sql.Rows, scan func(row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
