package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
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
	store, err := s.openStore(ctx, stderr)
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

// seed loads the demo data, or with --scale a generated network, into an
// empty database.
func seed(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("seed", stderr)
	s.flags(fs, getenv)
	scale := fs.Bool("scale", false, "generate a network-sized dataset instead of the demo")
	sz := models.NetworkScale()
	fs.IntVar(&sz.Cities, "cities", sz.Cities, "with --scale: cities")
	fs.IntVar(&sz.Countries, "countries", sz.Countries, "with --scale: countries")
	fs.IntVar(&sz.Partners, "partners", sz.Partners, "with --scale: partners")
	fs.IntVar(&sz.Events, "events", sz.Events, "with --scale: events")
	fs.IntVar(&sz.Stories, "stories", sz.Stories, "with --scale: stories")
	fs.IntVar(&sz.Years, "years", sz.Years, "with --scale: years of activity")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale {
		return seedScale(ctx, &s, sz, stdout, stderr)
	}
	store, err := s.openStore(ctx, stderr)
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

// seedScale generates a network into a scratch file next to the database
// and moves it into place only when complete, so an interrupted run leaves
// no half-filled database behind.
func seedScale(ctx context.Context, s *settings, sz models.ScaleSizes, stdout, stderr io.Writer) error {
	target := s.dsn()
	if strings.Contains(target, "://") {
		return errors.New("seed --scale writes a SQLite file; leave DATABASE_URL unset or point it at a file")
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists; seed --scale makes a new database only", target)
	}
	partial := target + ".partial"
	cleanup := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(partial + suffix)
		}
	}
	cleanup()
	store, err := models.Open(partial, s.photoDir())
	if err != nil {
		return err
	}
	began := time.Now()
	err = store.Migrate(ctx)
	if err == nil {
		last := ""
		err = store.SeedScale(ctx, sz, time.Now(), func(stage string, done, total int) {
			if last != "" && stage != last {
				fmt.Fprintln(stderr)
			}
			last = stage
			fmt.Fprintf(stderr, "\r%-9s %9d / %-9d  %5.0fs", stage, done, total, time.Since(began).Seconds())
		})
		fmt.Fprintln(stderr)
	}
	if err == nil {
		err = store.Checkpoint(ctx)
	}
	if cerr := store.Close(); err == nil {
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
