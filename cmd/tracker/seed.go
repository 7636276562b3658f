package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// migrate brings the schema up to date and reports its version.
func migrate(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("migrate", stderr)
	s.flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := s.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Database %s is at schema version %d.\n", s.dsn(), v)
	return nil
}

// seed loads the demo data into an empty database.
func seed(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("seed", stderr)
	s.flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := s.openStore(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	err = store.SeedDemo(ctx, time.Now().UTC())
	if errors.Is(err, models.ErrNotEmpty) {
		return errors.New("the database already has data; demo data goes only into an empty database")
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo data loaded.")
	printDemoLogins(stdout)
	return nil
}
