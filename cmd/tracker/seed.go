package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// migrate brings the schema up to date and reports its version.
func migrate(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("migrate", stderr)
	s.flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := s.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Database %s is at schema version %d.\n", s.dsn(), v)
	return nil
}

// seed loads the demo data, or with --scale a generated network, into an
// empty database.
func seed(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("seed", stderr)
	s.flags(fs, getenv)
	scale := fs.Bool("scale", false, "generate a network-sized dataset instead of the demo")
	sz := demo.NetworkScale()
	fs.IntVar(&sz.Cities, "cities", sz.Cities, "with --scale: cities")
	fs.IntVar(&sz.Countries, "countries", sz.Countries, "with --scale: countries")
	fs.IntVar(&sz.Partners, "partners", sz.Partners, "with --scale: partners")
	fs.IntVar(&sz.Events, "events", sz.Events, "with --scale: events")
	fs.IntVar(&sz.Stories, "stories", sz.Stories, "with --scale: stories")
	fs.IntVar(&sz.Years, "years", sz.Years, "with --scale: years of activity")
	ifEmpty := fs.Bool("if-empty", false, "with --scale: succeed without doing anything when the database already has data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale {
		err := seedScale(ctx, &s, sz, stdout, stderr)
		if errors.Is(err, store.ErrNotEmpty) && *ifEmpty {
			fmt.Fprintf(stdout, "%s already has data; left as it is.\n", redactURL(s.dsn()))
			return nil
		}
		return err
	}
	st, err := s.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	err = demo.Seed(ctx, st, time.Now().UTC())
	if errors.Is(err, store.ErrNotEmpty) {
		return errors.New("the database already has data; demo data goes only into an empty database")
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo data loaded.")
	printDemoLogins(stdout)
	return nil
}

// seedScale generates a network into a scratch file next to the database
// (on PostgreSQL, a scratch schema) and moves it into place only when
// complete, so an interrupted run leaves no half-filled database behind.
// It returns store.ErrNotEmpty when the target already has data.
func seedScale(ctx context.Context, s *settings, sz demo.ScaleSizes, stdout, stderr io.Writer) error {
	target := s.dsn()
	began := time.Now()
	last := ""
	progress := func(stage string, done, total int) {
		if last != "" && stage != last {
			fmt.Fprintln(stderr)
		}
		last = stage
		fmt.Fprintf(stderr, "\r%-9s %9d / %-9d  %5.0fs", stage, done, total, time.Since(began).Seconds())
	}
	if strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://") {
		err := demo.SeedScalePostgres(ctx, target, sz, time.Now(), progress)
		if last != "" {
			fmt.Fprintln(stderr)
		}
		switch {
		case errors.Is(err, store.ErrNotEmpty):
			return fmt.Errorf("%s has data; seed --scale fills an empty database only: %w", redactURL(target), err)
		case err != nil && ctx.Err() != nil:
			return errors.New("interrupted: nothing was written")
		case err != nil:
			return err
		}
		fmt.Fprintf(stdout, "Generated %d cities, %d partners, %d events and %d stories into %s in %.0fs.\n",
			sz.Cities, sz.Partners, sz.Events, sz.Stories, redactURL(target), time.Since(began).Seconds())
		return nil
	}
	if strings.Contains(target, "://") {
		return errors.New("seed --scale writes a SQLite file or a postgres:// database")
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists; seed --scale makes a new database only: %w", target, store.ErrNotEmpty)
	}
	partial := target + ".partial"
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(partial + suffix)
		}
	}
	cleanup()
	st, err := store.Open(partial, s.photoDir())
	if err != nil {
		return err
	}
	err = st.Migrate(ctx)
	if err == nil {
		err = demo.SeedScale(ctx, st, sz, time.Now(), progress)
		fmt.Fprintln(stderr)
	}
	if err == nil {
		err = st.Checkpoint(ctx)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		if ctx.Err() != nil {
			return errors.New("interrupted: nothing was written")
		}
		return err
	}
	if err := os.Rename(partial, target); err != nil {
		cleanup()
		return err
	}
	fmt.Fprintf(stdout, "Generated %d cities, %d partners, %d events and %d stories into %s in %.0fs.\n",
		sz.Cities, sz.Partners, sz.Events, sz.Stories, target, time.Since(began).Seconds())
	return nil
}

// redactURL hides the password of a database URL, for messages.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}
