package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"modernc.org/sqlite"
)

// ErrInUse means another process (a running server, or a restore) holds the
// database's lock file.
var ErrInUse = errors.New("the database is in use by a running Concierge")

// Lock takes the database's lock file (path + ".lock") for as long as this process
// runs or until release is called. The server holds it while serving and restore holds
// it while it swaps the file, so neither can run under the other.
//
// Why a lock file and not SQLite's own locks: SQLite locks only during a transaction,
// so an idle server holds none and a restore could not tell it is running. A PID file
// goes stale after a crash. flock(2) is held by the kernel for the life of the open
// file: a crashed or killed server releases it at once.
func Lock(path string) (release func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// openRaw opens an existing database file without migrating it: backup and restore
// copy what is there, whichever version wrote it.
func openRaw(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	c, err := sqlite.NewConnector("file:" + path + "?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	return db, nil
}

// Backup writes a consistent copy of the database at path to out with VACUUM INTO,
// which reads one snapshot while the server goes on writing (WAL readers never block
// writers), and checks the copy with PRAGMA integrity_check. out must not exist; the
// copy is written beside it and renamed into place only when it is whole, and is
// readable by its owner alone (it holds what the database holds).
func Backup(ctx context.Context, path, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup: %w", err)
	}
	db, err := openRaw(path)
	if err != nil {
		return err
	}
	defer db.Close()
	tmp := out + ".partial"
	os.Remove(tmp)
	// VACUUM INTO accepts an existing empty file: creating it first makes it private.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := Check(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Check runs PRAGMA integrity_check on the database file at path.
func Check(ctx context.Context, path string) error {
	db, err := openRaw(path)
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("store: %s fails its integrity check: %s", path, res)
	}
	return nil
}

// Restore replaces the database at path with the backup at from. It refuses while a
// server holds the database (see Lock), checks the backup first, and keeps the
// database it replaces as keep (a consistent copy, its WAL included) unless there was
// none. The old -wal and -shm files are removed: they belong to the replaced file and
// would corrupt the restored one.
func Restore(ctx context.Context, from, path, keep string) error {
	release, err := Lock(path)
	if err != nil {
		return err
	}
	defer release()
	if err := Check(ctx, from); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		if err := Backup(ctx, path, keep); err != nil {
			return fmt.Errorf("keep the current database first: %w", err)
		}
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".restoring")
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			os.Remove(tmp)
			return fmt.Errorf("store: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: restore: %w", err)
	}
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if _, err := dst.ReadFrom(src); err != nil {
		dst.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	return dst.Close()
}
