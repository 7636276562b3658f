// Package storetest opens a fresh, migrated Store for a test: a SQLite file
// in a temporary directory, or, when TEST_DATABASE_URL names a PostgreSQL
// database, a schema of its own in it, dropped after the test. On SQLite,
// the schema is migrated once per test binary and each test starts from a
// copy of that file, as gitea loads its fixtures once per package.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/bcrypt"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// DSN returns a new empty database for the test: its DSN, and the photo
// directory to use with it.
func DSN(t testing.TB) (dsn, photoDir string) {
	t.Helper()
	dir := t.TempDir()
	photoDir = filepath.Join(dir, "photos")
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return filepath.Join(dir, "test.db"), photoDir
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), photoDir
}

// MigratedDSN returns a new database whose schema is up to date but which
// holds no record: its DSN, and the photo directory to use with it.
func MigratedDSN(t testing.TB) (dsn, photoDir string) {
	t.Helper()
	dsn, photoDir = DSN(t)
	if os.Getenv("TEST_DATABASE_URL") != "" {
		s, err := store.Open(dsn, photoDir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return dsn, photoDir
	}
	tmpl, err := template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(tmpl)
	if err == nil {
		err = os.WriteFile(dsn, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dsn, photoDir
}

// template is a SQLite file migrated once per test binary, under a
// folder Main removes.
var template = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "storetest-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "migrated.db")
	s, err := store.Open(path, filepath.Join(dir, "photos"))
	if err != nil {
		return "", err
	}
	if err := s.Migrate(context.Background()); err != nil {
		s.Close()
		return "", err
	}
	// Closing the last connection checkpoints the write-ahead log into
	// the file and removes it: the file alone is the database.
	return path, s.Close()
})

// Main runs a package's tests and then removes the migrated template:
// call it from the package's TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if path, err := template(); err == nil {
		os.RemoveAll(filepath.Dir(path))
	}
	os.Exit(code)
}

// Open returns a migrated Store on a new database (MigratedDSN), closed
// after the test, and its photo directory. Its passwords are hashed at
// bcrypt's lowest cost.
func Open(t testing.TB) (*store.Store, string) {
	t.Helper()
	dsn, photos := MigratedDSN(t)
	s, err := store.Open(dsn, photos, store.WithBcryptCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, photos
}

// Fixture is a small network on a fresh store: Agadir and Fez, a partner
// of each, a coordinator of Agadir, staff and a campaign.
type Fixture struct {
	Store    *store.Store
	Reports  *report.Engine
	PhotoDir string
	Agadir   *models.City
	Fez      *models.City
	Campaign *models.Campaign
	// AgadirPartner and FezPartner are the cities' partners.
	AgadirPartner, FezPartner *models.Partner
	// Staff is UNESCO staff; AgadirCoo coordinates Agadir.
	Staff, AgadirCoo *models.User
}

// NewFixture opens a store (Open) and writes the fixture's network to it.
func NewFixture(t testing.TB) *Fixture {
	t.Helper()
	ctx := context.Background()
	s, photos := Open(t)
	f := &Fixture{Store: s, Reports: report.New(s), PhotoDir: photos}
	actor := models.CLIActor()
	f.Campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, s.CreateCampaign(ctx, f.Campaign))
	f.Agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024, CoLead: true}
	must(t, s.CreateCity(ctx, actor, f.Agadir, nil))
	f.Fez = &models.City{Name: "Fez", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, s.CreateCity(ctx, actor, f.Fez, nil))
	f.AgadirPartner = &models.Partner{CityID: f.Agadir.ID, Name: "Agadir Library", Sector: models.SectorCultural, Active: true}
	must(t, s.CreatePartner(ctx, actor, f.AgadirPartner))
	f.FezPartner = &models.Partner{CityID: f.Fez.ID, Name: "Fez University", Sector: models.SectorEducation, Active: true}
	must(t, s.CreatePartner(ctx, actor, f.FezPartner))
	var err error
	f.Staff, err = s.CreateUser(ctx, actor, models.NewUser{Email: "staff@example.org", Name: "Staff", Password: "a long password", Role: models.RoleStaff})
	must(t, err)
	f.AgadirCoo, err = s.CreateUser(ctx, actor, models.NewUser{Email: "agadir@example.org", Name: "Agadir Coordinator", Password: "a long password", Role: models.RoleCoordinator, CityIDs: []uint{f.Agadir.ID}})
	must(t, err)
	return f
}

// ValidEvent is an event of Agadir, held two days ago, that passes
// validation.
func (f *Fixture) ValidEvent() *models.Event {
	start := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Minute)
	n := 40
	return &models.Event{
		CityID: f.Agadir.ID, CampaignID: f.Campaign.ID, Title: "Family reading afternoon",
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Format: models.FormatInPerson, Status: models.StatusHeld,
		Participants: &n, LearningAreas: []models.LearningArea{models.AreaFamilies},
		AgeGroups: []models.AgeGroup{models.AgeChildren}, PartnerIDs: []uint{f.AgadirPartner.ID},
	}
}

// WantRaw fails the test where fast, a report from the roll-ups for q,
// differs from the report recomputed from the raw tables; what says which
// moment of the test it is.
func WantRaw(t testing.TB, reports *report.Engine, q report.Query, fast *models.Report, what string) {
	t.Helper()
	raw, err := reports.FromRaw(context.Background(), q)
	must(t, err)
	a, _ := json.Marshal(fast)
	b, _ := json.Marshal(raw)
	if string(a) != string(b) {
		t.Errorf("%s%+v: roll-ups and raw tables disagree\nroll-ups: %s\nraw:      %s", what, q, a, b)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ValidStory is a story of Agadir, by an adult with consent, that
// passes validation.
func (f *Fixture) ValidStory() *models.Story {
	return &models.Story{
		CityID: f.Agadir.ID, CampaignID: f.Campaign.ID, Title: "I learned to read",
		Body: "The literacy circle at the library changed my life.", DisplayName: "Fatima Zahra",
		AgeGroup: models.AgeAdults, PublicationConsent: true, ContactEmail: "fatima@example.net",
		LearningAreas: []models.LearningArea{models.AreaFamilies},
	}
}

// RollupDump is every row of every roll-up table, in a stable order: a
// test compares the roll-ups its writes kept with a rebuild from scratch.
func RollupDump(t testing.TB, s *store.Store) string {
	t.Helper()
	var out strings.Builder
	for _, table := range rollup.Tables() {
		rows, err := s.Rows(context.Background(), "SELECT * FROM "+table.Name)
		must(t, err)
		cols, err := rows.Columns()
		must(t, err)
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			lines = append(lines, fmt.Sprintf("%s %v", table.Name, vals))
		}
		must(t, rows.Err())
		rows.Close()
		slices.Sort(lines)
		for _, l := range lines {
			out.WriteString(l + "\n")
		}
	}
	return out.String()
}

// CityReports gives n new cities ("City 001"…, in each region and in
// five countries in turn) a report of p each, written in one batch: a
// narrative and a rating of every building block (the fifth city in
// five leaves the last one unrated), submitted, every other one then
// approved. It returns them (and no other city's) as the store lists them,
// by city name.
func CityReports(t testing.TB, s *store.Store, n int, p models.Period) []models.CityWithReport {
	t.Helper()
	ctx := context.Background()
	actor := models.CLIActor()
	countries := []string{"MA", "FR", "BR", "KR", "NG"}
	noFigures := func(*store.Store) (*models.Report, error) { return &models.Report{}, nil }
	written := map[uint]bool{}
	err := s.Batch(ctx, func(tx *store.Store) error {
		for i := range n {
			city := &models.City{Name: fmt.Sprintf("City %03d", i), Country: countries[i%len(countries)],
				Region: models.Regions()[i%len(models.Regions())], JoinedYear: 2024}
			if err := tx.CreateCity(ctx, actor, city, nil); err != nil {
				return err
			}
			r, err := tx.StartCityReport(ctx, actor, city.ID, p)
			if err != nil {
				return err
			}
			written[r.ID] = true
			d := models.CityReportDraft{Worked: fmt.Sprintf("What worked in %s.", city.Name), Hard: "Reaching older learners.", Plans: "A festival."}
			for j, a := range models.LearningAreas() {
				score := 1 + (i+j)%models.MaxScore
				if i%5 == 4 && j == len(models.LearningAreas())-1 {
					score = models.NotRated
				}
				d.Ratings = append(d.Ratings, models.Rating{Area: a, Score: score, Comment: "Comment " + string(a)})
			}
			if err := tx.SaveCityReport(ctx, actor, r, r.Version, d); err != nil {
				return err
			}
			if err := tx.SubmitCityReport(ctx, actor, r, r.Version+1, noFigures); err != nil {
				return err
			}
			if i%2 == 0 {
				if r, err = tx.CityReport(ctx, r.ID); err != nil {
					return err
				}
				if err := tx.ReviewCityReport(ctx, actor, r, r.Version, true, ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
	must(t, err)
	all, err := s.PeriodCityReports(ctx, p, nil)
	must(t, err)
	out := slices.DeleteFunc(all, func(r models.CityWithReport) bool { return !written[r.Report.ID] })
	if len(out) != n {
		t.Fatalf("wrote %d city reports, listed %d", n, len(out))
	}
	return out
}
