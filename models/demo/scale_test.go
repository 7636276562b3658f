package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// smallScale is a network small enough for a test, with every kind of row.
var smallScale = demo.ScaleSizes{Cities: 12, Countries: 6, Partners: 60, Events: 2_000, Stories: 6_000, Years: 2}

// TestSeedScalePostgresSameDataset loads the scale dataset into PostgreSQL
// with COPY and into SQLite with INSERTs: the two give the same report,
// the roll-ups match the raw tables, and the ids continue after the load.
func TestSeedScalePostgresSameDataset(t *testing.T) {
	t.Parallel()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL not set")
	}
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

	lite, err := store.Open(filepath.Join(t.TempDir(), "scale.db"), t.TempDir())
	must(t, err)
	defer lite.Close()
	must(t, lite.Migrate(ctx))
	must(t, demo.SeedScale(ctx, lite, smallScale, now, nil))

	// The target is migrated, without records, and holds another
	// application's table, which the load leaves alone.
	dsn, photos := storetest.DSN(t)
	migrated, err := store.Open(dsn, photos)
	must(t, err)
	must(t, migrated.Migrate(ctx))
	migrated.Close()
	raw := rawDB(t, dsn)
	_, err = raw.Exec("CREATE TABLE other_app (v TEXT); INSERT INTO other_app VALUES ('kept')")
	must(t, err)
	stages := map[string]bool{}
	must(t, demo.SeedScalePostgres(ctx, dsn, smallScale, now, func(stage string, done, total int) { stages[stage] = true }))
	for _, stage := range []string{"cities", "partners", "events", "stories", "roll-ups"} {
		if !stages[stage] {
			t.Errorf("no progress for %s", stage)
		}
	}
	pg, err := store.Open(dsn, photos)
	must(t, err)
	defer pg.Close()
	must(t, pg.Migrate(ctx))

	for _, q := range []report.Query{{}, {Region: models.RegionAfrica, From: now.AddDate(-1, 0, 0), To: now}} {
		want, err := report.New(lite).Compute(ctx, q)
		must(t, err)
		got, err := report.New(pg).Compute(ctx, q)
		must(t, err)
		raw, err := report.New(pg).FromRaw(ctx, q)
		must(t, err)
		w, g, r := jsonOf(t, want), jsonOf(t, got), jsonOf(t, raw)
		if g != w {
			t.Errorf("query %+v: PostgreSQL report differs from SQLite's:\n pg     %.300s\n sqlite %.300s", q, g, w)
		}
		if r != g {
			t.Errorf("query %+v: PostgreSQL roll-ups differ from its raw tables", q)
		}
	}
	if got, _ := report.New(pg).Compute(ctx, report.Query{}); got.Totals.MemberCities != int64(smallScale.Cities) || got.Totals.StoriesPublished == 0 {
		t.Errorf("totals = %+v", got.Totals)
	}

	// The audit log came too, as the app would have written it.
	for _, st := range []*store.Store{lite, pg} {
		log, err := st.AuditEntries(ctx, models.AuditFilter{AllCities: true, Action: models.AuditPublish}, models.Page{Size: 1})
		must(t, err)
		if log.Total == 0 || len(log.Items) != 1 || log.Items[0].Entity != models.EntityStory {
			t.Errorf("audit log of the load: %d publications, %+v", log.Total, log.Items)
		}
	}
	liteLog, err := lite.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 1})
	must(t, err)
	pgLog, err := pg.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 1})
	must(t, err)
	if liteLog.Total != pgLog.Total {
		t.Errorf("audit entries: %d in PostgreSQL, %d in SQLite", pgLog.Total, liteLog.Total)
	}

	// The id sequences continue after the generated ids.
	campaigns, err := pg.Campaigns(ctx)
	must(t, err)
	st := &models.Story{CityID: 1, CampaignID: campaigns[0].ID, Title: "After the load", Body: "A story sent after the bulk load.",
		AgeGroup: models.AgeAdults, Anonymous: true, PublicationConsent: true}
	_, err = pg.CreateStory(ctx, st, nil)
	must(t, err)
	if st.ID != uint(smallScale.Stories)+1 {
		t.Errorf("new story id = %d, want %d", st.ID, smallScale.Stories+1)
	}

	var kept string
	must(t, raw.QueryRow("SELECT v FROM other_app").Scan(&kept))
	if kept != "kept" {
		t.Errorf("another application's table holds %q", kept)
	}

	// The indexes and foreign keys dropped for the load are back.
	freshDSN, _ := storetest.DSN(t)
	fresh, err := store.Open(freshDSN, photos)
	must(t, err)
	defer fresh.Close()
	must(t, fresh.Migrate(ctx))
	if got, want := schemaObjects(t, dsn), schemaObjects(t, freshDSN); got != want {
		t.Errorf("after the load the schema has %s, a migrated one %s", got, want)
	}

	if err := demo.SeedScalePostgres(ctx, dsn, smallScale, now, nil); !errors.Is(err, store.ErrNotEmpty) {
		t.Errorf("seed over data: err = %v, want ErrNotEmpty", err)
	}
}

// TestSeedScalePostgresInterrupted cancels a load half-way: the target
// schema is as it was (migrated, empty) and no scratch schema is left.
func TestSeedScalePostgresInterrupted(t *testing.T) {
	t.Parallel()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("TEST_DATABASE_URL not set")
	}
	dsn, photos := storetest.DSN(t)
	s, err := store.Open(dsn, photos)
	must(t, err)
	defer s.Close()
	must(t, s.Migrate(context.Background()))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = demo.SeedScalePostgres(ctx, dsn, smallScale, time.Now(), func(stage string, done, total int) {
		if stage == "events" {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted seed: err = %v, want context.Canceled", err)
	}
	cities, err := s.Cities(context.Background(), models.CityFilter{})
	must(t, err)
	if len(cities) != 0 {
		t.Errorf("an interrupted seed left %d cities", len(cities))
	}
	u, _ := url.Parse(dsn)
	scratch := u.Query().Get("search_path") + "_partial"
	var left int
	must(t, rawDB(t, dsn).QueryRow("SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1", scratch).Scan(&left))
	if left != 0 {
		t.Errorf("an interrupted seed left the scratch schema %s", scratch)
	}
}

// schemaObjects counts the indexes and the foreign keys of the schema of
// a PostgreSQL test database.
func schemaObjects(t *testing.T, dsn string) string {
	t.Helper()
	var indexes, keys int
	db := rawDB(t, dsn)
	must(t, db.QueryRow("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()").Scan(&indexes))
	must(t, db.QueryRow("SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace").Scan(&keys))
	return fmt.Sprintf("%d indexes and %d foreign keys", indexes, keys)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}
