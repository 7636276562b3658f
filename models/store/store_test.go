package store_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// newTestStore opens a fresh, migrated database: SQLite, or PostgreSQL
// when TEST_DATABASE_URL is set.
func newTestStore(t *testing.T) *store.Store {
	s, _ := storetest.Open(t)
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// storedPhoto is a w×h JPEG, as photo.Process leaves an upload: what
// CreateStory is given to keep.
func storedPhoto(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	must(t, jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), &jpeg.Options{Quality: 85}))
	return b.Bytes()
}

func lower(s string) string { return strings.ToLower(s) }

func countEvents(t *testing.T, s *store.Store) int64 {
	t.Helper()
	page, err := s.Events(context.Background(), models.EventFilter{}, models.Page{Size: 1})
	must(t, err)
	return page.Total
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	must(t, s.Migrate(ctx))
	v, err := s.SchemaVersion(ctx)
	must(t, err)
	if v < 2 {
		t.Fatalf("schema version = %d, want at least 2", v)
	}
}

func TestForeignKeysAreOnForEveryConnection(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	// Several events concurrently use several pooled connections; an event
	// of an unknown city must fail on each of them.
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			e := f.ValidEvent()
			e.CityID = 9999
			e.PartnerIDs = nil
			errs <- f.Store.CreateEvent(ctx, models.CLIActor(), e)
		}()
	}
	for range 8 {
		if err := <-errs; err == nil {
			t.Fatal("event of an unknown city was stored")
		}
	}
	if n := countEvents(t, f.Store); n != 0 {
		t.Fatalf("events = %d, want 0", n)
	}
}

// TestDataFilesArePrivate: the SQLite database, its log and index, backups
// and photos are created readable and writable by the server's user only.
func TestDataFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	s, err := store.Open(filepath.Join(dir, "tracker.db"), filepath.Join(dir, "photos"))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Migrate(ctx))
	f := &storetest.Fixture{Store: s, Reports: report.New(s)}
	f.Campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life"}
	must(t, s.CreateCampaign(ctx, f.Campaign))
	f.Agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, s.CreateCity(ctx, models.CLIActor(), f.Agadir, nil))
	photo := storedPhoto(t, 30, 20)
	_, err = s.CreateStory(ctx, f.ValidStory(), photo)
	must(t, err)
	must(t, s.Backup(ctx, filepath.Join(dir, "backups", "tracker-1.db")))

	var checked []string
	must(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: others than the server's user may read it", path, info.Mode().Perm())
		}
		checked = append(checked, filepath.Base(path))
		return nil
	}))
	for _, want := range []string{"tracker.db", "tracker.db-wal", "tracker.db-shm", "photos", "backups", "tracker-1.db"} {
		if !slices.Contains(checked, want) {
			t.Errorf("no %s among %v", want, checked)
		}
	}
}
