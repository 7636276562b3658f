package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// backup makes a consistent online copy of the SQLite database, and says
// how to back up PostgreSQL.
func backup(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("backup", stderr)
	s.flags(fs, getenv)
	out := fs.String("out", "", "the backup file to write (default DATA_DIR/backups/tracker-YYYYMMDD-HHMMSS.db)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := s.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	path := *out
	if path == "" {
		path = filepath.Join(s.dataDir, "backups", "tracker-"+time.Now().UTC().Format("20060102-150405")+".db")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists; choose another file", path)
	}
	began := time.Now()
	if err := st.Backup(ctx, path); err != nil {
		if errors.Is(err, store.ErrBackupEngine) {
			return fmt.Errorf("%w: pg_dump --format=custom --file=tracker.dump \"$DATABASE_URL\"", err)
		}
		os.Remove(path) // a partial copy is no backup
		return err
	}
	fmt.Fprintf(stdout, "Backed up the database to %s in %.1fs. Copy the photos directory %s along with it.\n", path, time.Since(began).Seconds(), s.photoDir())
	return nil
}
