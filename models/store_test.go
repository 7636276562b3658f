package models_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/storetest"
)

// newTestStore opens a fresh, migrated database: SQLite, or PostgreSQL
// when TEST_DATABASE_URL is set.
func newTestStore(t *testing.T) *models.Store {
	s, _ := storetest.Open(t)
	return s
}

// newTestStoreDir is newTestStore that also returns the photo directory.
func newTestStoreDir(t *testing.T) (*models.Store, string) {
	return storetest.Open(t)
}

// fixture is a small network: two cities, a coordinator of each, staff,
// a partner per city and a campaign.
type fixture struct {
	store            *models.Store
	photoDir         string
	agadir, fez      *models.City
	campaign         *models.Campaign
	agadirPartner    *models.Partner
	fezPartner       *models.Partner
	staff, agadirCoo *models.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s, photos := newTestStoreDir(t)
	f := &fixture{store: s, photoDir: photos}
	actor := models.CLIActor()
	f.campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, s.CreateCampaign(ctx, f.campaign))
	f.agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024, CoLead: true}
	must(t, s.CreateCity(ctx, actor, f.agadir, nil))
	f.fez = &models.City{Name: "Fez", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, s.CreateCity(ctx, actor, f.fez, nil))
	f.agadirPartner = &models.Partner{CityID: f.agadir.ID, Name: "Agadir Library", Sector: models.SectorCultural, Active: true}
	must(t, s.CreatePartner(ctx, actor, f.agadirPartner))
	f.fezPartner = &models.Partner{CityID: f.fez.ID, Name: "Fez University", Sector: models.SectorEducation, Active: true}
	must(t, s.CreatePartner(ctx, actor, f.fezPartner))
	var err error
	f.staff, err = s.CreateUser(ctx, actor, models.NewUser{Email: "staff@example.org", Name: "Staff", Password: "a long password", Role: models.RoleStaff})
	must(t, err)
	f.agadirCoo, err = s.CreateUser(ctx, actor, models.NewUser{Email: "agadir@example.org", Name: "Agadir Coordinator", Password: "a long password", Role: models.RoleCoordinator, CityIDs: []uint{f.agadir.ID}})
	must(t, err)
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantRaw fails the test where fast, a report from the roll-ups for q,
// differs from the report recomputed from the raw tables; what says which
// moment of the test it is.
func wantRaw(t *testing.T, s *models.Store, q models.ReportQuery, fast *models.Report, what string) {
	t.Helper()
	raw, err := s.ReportFromRaw(context.Background(), q)
	must(t, err)
	a, _ := json.Marshal(fast)
	b, _ := json.Marshal(raw)
	if string(a) != string(b) {
		t.Errorf("%s%+v: roll-ups and raw tables disagree\nroll-ups: %s\nraw:      %s", what, q, a, b)
	}
}

// validEvent is an event of Agadir that passes validation.
func (f *fixture) validEvent() *models.Event {
	start := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Minute)
	n := 40
	return &models.Event{
		CityID: f.agadir.ID, CampaignID: f.campaign.ID, Title: "Family reading afternoon",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Format: models.FormatInPerson, Status: models.StatusHeld,
		Participants: &n, LearningAreas: []models.LearningArea{models.AreaFamilies},
		AgeGroups: []models.AgeGroup{models.AgeChildren}, PartnerIDs: []uint{f.agadirPartner.ID},
	}
}

func countEvents(t *testing.T, s *models.Store) int64 {
	t.Helper()
	page, err := s.Events(context.Background(), models.EventFilter{}, models.Page{Size: 1})
	must(t, err)
	return page.Total
}

func TestMigrateIsIdempotent(t *testing.T) {
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
	f := newFixture(t)
	ctx := context.Background()
	// Several events concurrently use several pooled connections; an event
	// of an unknown city must fail on each of them.
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			e := f.validEvent()
			e.CityID = 9999
			e.PartnerIDs = nil
			errs <- f.store.CreateEvent(ctx, models.CLIActor(), e)
		}()
	}
	for range 8 {
		if err := <-errs; err == nil {
			t.Fatal("event of an unknown city was stored")
		}
	}
	if n := countEvents(t, f.store); n != 0 {
		t.Fatalf("events = %d, want 0", n)
	}
}

// TestDataFilesArePrivate: the SQLite database, its log and index, backups
// and photos are created readable and writable by the server's user only.
func TestDataFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	s, err := models.Open(filepath.Join(dir, "tracker.db"), filepath.Join(dir, "photos"))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Migrate(ctx))
	f := &fixture{store: s}
	f.campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life"}
	must(t, s.CreateCampaign(ctx, f.campaign))
	f.agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, s.CreateCity(ctx, models.CLIActor(), f.agadir, nil))
	photo, err := models.ProcessPhoto(bytesReader(jpegWithExif(t, 30, 20, 1)), "image/jpeg")
	must(t, err)
	_, err = s.CreateStory(ctx, f.validStory(), photo)
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
