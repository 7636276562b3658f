package store_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// The upgrade tests: for each migration that changes data, a database at
// the version before it, rows written with raw SQL as they were then, the
// migrations up to the latest, and the data compared with what it must
// be: a rebuild of the roll-ups for a fill of them, the expected rows for
// an update.

// openAt is a fresh store migrated up to version only, holding rows.
func openAt(t *testing.T, version int, rows ...string) *store.Store {
	t.Helper()
	ctx := context.Background()
	dsn, photos := storetest.DSN(t)
	s, err := store.Open(dsn, photos, store.WithBcryptCost(bcrypt.MinCost))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.MigrateTo(ctx, version))
	if v, err := s.SchemaVersion(ctx); err != nil || v != version {
		t.Fatalf("schema version %d (%v), want %d", v, err, version)
	}
	for _, row := range rows {
		if err := s.RawExec(ctx, row); err != nil {
			t.Fatalf("at version %d: %v\n%s", version, err, row)
		}
	}
	return s
}

// ts is a timestamp literal, in UTC as the app writes them.
func ts(s string) string { return "'" + s + ":00+00:00'" }

// networkAt is a small network's raw rows, written with the columns of
// version: three cities in two regions, two campaigns, partners of three
// sectors, events held over two years, on the first and last days of
// months, with one age group or several, and stories.
func networkAt(version int) []string {
	created := ts("2023-06-01 00:00")
	rows := []string{
		`INSERT INTO cities (id, name, slug, country, region, joined_year, co_lead, created_at, updated_at) VALUES
			(1, 'Agadir', 'agadir', 'MA', 'arab-states', 2020, TRUE, ` + created + `, ` + created + `),
			(2, 'Fez', 'fez', 'MA', 'arab-states', 2021, FALSE, ` + created + `, ` + created + `),
			(3, 'Hamburg', 'hamburg', 'DE', 'europe-north-america', 2019, FALSE, ` + created + `, ` + created + `)`,
	}
	if version >= 22 { // slugs, unique from 22 on
		rows = append(rows, `INSERT INTO campaigns (id, hashtag, name, starts_on, created_at, slug) VALUES
			(1, '#LearnThroughLife', 'Learn Through Life', `+ts("2023-01-01 00:00")+`, `+created+`, 'learnthroughlife'),
			(2, '#ReadTogether', 'Read Together', `+ts("2024-01-01 00:00")+`, `+created+`, 'readtogether')`)
	} else {
		rows = append(rows, `INSERT INTO campaigns (id, hashtag, name, starts_on, created_at) VALUES
			(1, '#LearnThroughLife', 'Learn Through Life', `+ts("2023-01-01 00:00")+`, `+created+`),
			(2, '#ReadTogether', 'Read Together', `+ts("2024-01-01 00:00")+`, `+created+`)`)
	}
	rows = append(rows, `INSERT INTO partners (id, city_id, name, sector, active, created_at, updated_at) VALUES
		(1, 1, 'Agadir Library', 'cultural', TRUE, `+created+`, `+created+`),
		(2, 1, 'Agadir University', 'education', TRUE, `+created+`, `+created+`),
		(3, 3, 'Hamburg Volkshochschule', 'education', TRUE, `+created+`, `+created+`)`)
	type event struct {
		id, city, campaign    int
		start, format, status string
		participants          string
		areas                 []string
		ages                  map[string]string // participants by age group, "" for none recorded
		partners              []int
	}
	events := []event{
		{1, 1, 1, "2023-12-31 18:00", "in-person", "held", "30", []string{"families-communities", "culture"}, map[string]string{"children": "30"}, []int{1, 2}},
		{2, 1, 1, "2024-01-01 09:00", "online", "held", "12", []string{"workplace"}, map[string]string{"youth": "5", "adults": "7"}, []int{1}},
		{3, 2, 1, "2024-01-15 10:00", "hybrid", "held", "NULL", []string{"families-communities"}, map[string]string{"adults": ""}, nil},
		{4, 3, 2, "2024-02-29 23:30", "in-person", "held", "50", []string{"technologies"}, map[string]string{"older-adults": "50"}, []int{3}},
		{5, 1, 2, "2024-03-10 10:00", "in-person", "planned", "NULL", []string{"culture"}, map[string]string{"children": ""}, []int{2}},
		{6, 3, 1, "2024-01-01 12:00", "online", "held", "8", []string{"quality"}, map[string]string{"adults": "", "youth": ""}, []int{3}},
	}
	for _, e := range events {
		start := ts(e.start)
		rows = append(rows, fmt.Sprintf(`INSERT INTO events (id, city_id, campaign_id, title, starts_at, ends_at, format, status, participants, created_at, updated_at)
			VALUES (%d, %d, %d, 'Event %d', %s, %s, '%s', '%s', %s, %s, %s)`, e.id, e.city, e.campaign, e.id, start, start, e.format, e.status, e.participants, created, created))
		for _, a := range e.areas {
			rows = append(rows, fmt.Sprintf("INSERT INTO event_learning_areas (event_id, area) VALUES (%d, '%s')", e.id, a))
		}
		for _, g := range slices.Sorted(maps.Keys(e.ages)) {
			if n := e.ages[g]; version >= 27 && n != "" { // counts by age group from 27 on
				rows = append(rows, fmt.Sprintf("INSERT INTO event_age_groups (event_id, age_group, participants) VALUES (%d, '%s', %s)", e.id, g, n))
			} else {
				rows = append(rows, fmt.Sprintf("INSERT INTO event_age_groups (event_id, age_group) VALUES (%d, '%s')", e.id, g))
			}
		}
		for _, p := range e.partners {
			rows = append(rows, fmt.Sprintf("INSERT INTO event_partners (event_id, partner_id) VALUES (%d, %d)", e.id, p))
		}
	}
	rows = append(rows, `INSERT INTO stories (id, city_id, campaign_id, title, body, age_group, publication_consent, status, receipt_hash, submitted_at, published_at, updated_at) VALUES
		(1, 1, 1, 'I learned to read', 'The literacy circle changed my life.', 'adults', TRUE, 'published', 'receipt-0001-aaaaaaaa', `+ts("2024-01-01 10:00")+`, `+ts("2024-01-03 10:00")+`, `+ts("2024-01-03 10:00")+`),
		(2, 3, 2, 'Coding at sixty', 'Never too late.', 'youth', TRUE, 'published', 'receipt-0002-bbbbbbbb', `+ts("2024-02-29 08:00")+`, `+ts("2024-03-01 08:00")+`, `+ts("2024-03-01 08:00")+`),
		(3, 2, 1, 'Waiting', 'Not yet read.', 'adults', TRUE, 'pending', 'receipt-0003-cccccccc', `+ts("2024-01-20 08:00")+`, NULL, `+ts("2024-01-20 08:00")+`)`,
		`INSERT INTO story_learning_areas (story_id, area) VALUES (1, 'families-communities'), (2, 'technologies'), (2, 'culture'), (3, 'culture')`)
	return rows
}

// keptRollups writes into s, at version, the roll-ups that the writes of
// that version kept over rows, in each roll-up table s has: those that a
// rebuild makes from the same rows on another database brought up to
// date (a rebuild needs the latest schema).
func keptRollups(t *testing.T, s *store.Store, version int, rows []string) {
	t.Helper()
	ctx := context.Background()
	ref := openAt(t, version, rows...)
	must(t, ref.Migrate(ctx))
	must(t, ref.RebuildRollups(ctx))
	for _, table := range rollup.Tables() {
		if !hasTable(t, s, table.Name) {
			continue
		}
		for _, row := range selectAll(t, ref, "SELECT * FROM "+table.Name) {
			cols := slices.Sorted(maps.Keys(row))
			var args []any
			for _, c := range cols {
				args = append(args, row[c])
			}
			must(t, s.RawExec(ctx, "INSERT INTO "+table.Name+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+")", args...))
		}
	}
}

// hasTable says whether s's schema has the table.
func hasTable(t *testing.T, s *store.Store, name string) bool {
	t.Helper()
	q := "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?"
	if s.Dialect() == rollup.Postgres {
		q = "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	return fmt.Sprint(selectAll(t, s, q, name)[0]["n"]) == "1"
}

// selectAll is every row of a query, by column.
func selectAll(t *testing.T, s *store.Store, query string, args ...any) []map[string]any {
	t.Helper()
	rows, err := s.Rows(context.Background(), query, args...)
	must(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	must(t, err)
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		row := map[string]any{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			row[c] = vals[i]
		}
		out = append(out, row)
	}
	must(t, rows.Err())
	return out
}

// wantRebuilt fails the test unless s's roll-ups are those a rebuild
// makes, with rows in every roll-up table; it returns them.
func wantRebuilt(t *testing.T, s *store.Store) string {
	t.Helper()
	kept := storetest.RollupDump(t, s)
	must(t, s.RebuildRollups(context.Background()))
	rebuilt := storetest.RollupDump(t, s)
	for _, table := range rollup.Tables() {
		if !strings.Contains(rebuilt, table.Name+" [") {
			t.Errorf("%s is empty: the rows test nothing there", table.Name)
		}
	}
	if kept != rebuilt {
		t.Errorf("after the upgrade, the roll-ups differ from a rebuild\nkept:\n%s\nrebuilt:\n%s", kept, rebuilt)
	}
	return rebuilt
}

// upgradeRollups checks the fill of migration version: a database at
// the version before, with the network and the roll-ups its writes kept
// (made stale by stale, when the fill makes them again), brought up to
// date, holds the roll-ups that a rebuild makes.
func upgradeRollups(t *testing.T, version int, stale ...string) {
	ctx := context.Background()
	rows := networkAt(version - 1)
	s := openAt(t, version-1, rows...)
	keptRollups(t, s, version-1, rows)
	for _, stmt := range stale {
		must(t, s.RawExec(ctx, stmt))
	}
	must(t, s.Migrate(ctx))
	wantRebuilt(t, s)
}

// Migration 13 fills the day-grain roll-ups and makes the partners' again.
func TestUpgradeDayRollups13(t *testing.T) {
	upgradeRollups(t, 13, "UPDATE ru_partner_all SET events_held = events_held + 100", "DELETE FROM ru_partner_year WHERE year = 2023")
}

// Migration 18 fills the totals.
func TestUpgradeTotals18(t *testing.T) { upgradeRollups(t, 18) }

// Migration 20 fills the partners per year, city and sector.
func TestUpgradePartnerYears20(t *testing.T) { upgradeRollups(t, 20) }

// Migration 27 counts each age group's participants, and makes the age
// group roll-ups again with them.
func TestUpgradeAgeParticipants27(t *testing.T) {
	var stale []string
	for _, table := range []string{"ru_dim", "rr_dim", "rn_dim", "rr_dim_day", "rn_dim_day"} {
		stale = append(stale, "UPDATE "+table+" SET participants = participants + 1000 WHERE dim = 'age'")
	}
	upgradeRollups(t, 27, stale...)
	// The one age group an event reached has its participants; several
	// without counts have none recorded.
	s := openAt(t, 26, networkAt(26)...)
	must(t, s.Migrate(context.Background()))
	got := fmt.Sprint(selectAll(t, s, "SELECT event_id, age_group, participants FROM event_age_groups ORDER BY event_id, age_group"))
	want := fmt.Sprint([]map[string]any{
		{"event_id": int64(1), "age_group": "children", "participants": int64(30)},
		{"event_id": int64(2), "age_group": "adults", "participants": nil},
		{"event_id": int64(2), "age_group": "youth", "participants": nil},
		{"event_id": int64(3), "age_group": "adults", "participants": nil},
		{"event_id": int64(4), "age_group": "older-adults", "participants": int64(50)},
		{"event_id": int64(5), "age_group": "children", "participants": nil},
		{"event_id": int64(6), "age_group": "adults", "participants": nil},
		{"event_id": int64(6), "age_group": "youth", "participants": nil},
	})
	if got != want {
		t.Errorf("age groups after migration 27:\n got %s\nwant %s", got, want)
	}
}

// Migration 29 files in UTC the events written on their city's clock
// before it, and their roll-ups become those of a rebuild.
func TestUpgradeEventsInUTC29(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, 28, append(networkAt(28),
		"UPDATE cities SET time_zone = 'Asia/Tokyo' WHERE id = 1",
		"UPDATE cities SET time_zone = 'America/New_York' WHERE id = 3")...)
	must(t, s.RebuildRollups(ctx))
	// Writes before 29 filed an event under its city's clock: early on
	// the 1st in Tokyo, late on the last day of a year in New York; and
	// on SQLite, one in the middle of a month kept its clock's offset
	// (the hook refreshes no partner's roll-ups: that one has none).
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	must(t, err)
	newYork, err := time.LoadLocation("America/New_York")
	must(t, err)
	moves := map[uint]time.Time{3: time.Date(2024, 1, 15, 10, 0, 0, 0, tokyo), 2: time.Date(2024, 3, 1, 5, 0, 0, 0, tokyo), 6: time.Date(2024, 12, 31, 22, 0, 0, 0, newYork)}
	for id, start := range moves {
		must(t, s.FileEventAsBefore29(ctx, id, start, start.Add(2*time.Hour)))
	}
	stale := storetest.RollupDump(t, s)
	must(t, s.Migrate(ctx))
	// The reports of both cities are no longer cached.
	version := selectAll(t, s, "SELECT v FROM data_version")[0]["v"]
	if got := fmt.Sprint(selectAll(t, s, "SELECT city_id, v FROM city_versions WHERE city_id IN (1, 3) ORDER BY city_id")); got != fmt.Sprint([]map[string]any{{"city_id": int64(1), "v": version}, {"city_id": int64(3), "v": version}}) {
		t.Errorf("city versions %s, data version %v", got, version)
	}
	if rebuilt := wantRebuilt(t, s); stale == rebuilt {
		t.Error("the roll-ups before migration 29 were not stale: the test shows nothing")
	}
	if s.Dialect() == rollup.SQLite {
		if off := selectAll(t, s, "SELECT id, starts_at FROM events WHERE substr(starts_at, -6) <> '+00:00' OR substr(ends_at, -6) <> '+00:00'"); len(off) > 0 {
			t.Errorf("events still off UTC: %v", off)
		}
	}
	for id, want := range moves {
		e, err := s.Event(ctx, id)
		must(t, err)
		if _, offset := e.StartsAt.Zone(); !e.StartsAt.Equal(want) || offset != 0 {
			t.Errorf("event %d starts %v, want %v in UTC", id, e.StartsAt, want.UTC())
		}
	}
}

// Migration 30 hashes the sessions' tokens in place: the browsers that
// held them stay signed in, and the database no longer holds them.
func TestUpgradeSessionsHashed30(t *testing.T) {
	ctx := context.Background()
	expiry := ts("2099-01-01 00:00")
	s := openAt(t, 29, `INSERT INTO sessions (token, data, expiry) VALUES
		('first-browser', `+blobLiteral("one")+`, `+expiry+`),
		('second-browser', `+blobLiteral("two")+`, `+expiry+`)`)
	must(t, s.Migrate(ctx))
	for token, want := range map[string]string{"first-browser": "one", "second-browser": "two"} {
		b, found, err := s.Sessions().FindCtx(ctx, token)
		must(t, err)
		if !found || string(b) != want {
			t.Errorf("session %s after the upgrade: %q, %v", token, b, found)
		}
	}
	if rows := selectAll(t, s, "SELECT token FROM sessions WHERE token IN ('first-browser', 'second-browser') OR length(token) <> 64"); len(rows) > 0 {
		t.Errorf("tokens kept in clear: %v", rows)
	}
}

// blobLiteral is s as a blob literal that both engines read.
func blobLiteral(s string) string {
	return "CAST('" + s + "' AS " + map[bool]string{true: "BLOB", false: "BYTEA"}[os.Getenv("TEST_DATABASE_URL") == ""] + ")"
}

// Migration 9 empties the summaries of audit entries about stories,
// which carried their titles; the others keep theirs.
func TestUpgradeAuditStorySummaries9(t *testing.T) {
	s := openAt(t, 8, `INSERT INTO audit_entries (id, user_email, action, entity, entity_id, summary, created_at) VALUES
		(1, 'staff@example.org', 'publish', 'story', 7, 'I learned to read', `+ts("2024-01-01 10:00")+`),
		(2, 'staff@example.org', 'create', 'event', 3, 'Family reading afternoon', `+ts("2024-01-01 10:00")+`)`)
	must(t, s.Migrate(context.Background()))
	got := fmt.Sprint(selectAll(t, s, "SELECT id, entity, summary FROM audit_entries ORDER BY id"))
	want := fmt.Sprint([]map[string]any{{"id": int64(1), "entity": "story", "summary": ""}, {"id": int64(2), "entity": "event", "summary": "Family reading afternoon"}})
	if got != want {
		t.Errorf("audit entries:\n got %s\nwant %s", got, want)
	}
}

// storiesAt are stories written with the columns of version 3 to 10.
func storiesAt(stories ...string) []string {
	created := ts("2023-06-01 00:00")
	return []string{
		`INSERT INTO cities (id, name, slug, country, region, joined_year, created_at, updated_at) VALUES (1, 'Agadir', 'agadir', 'MA', 'arab-states', 2020, ` + created + `, ` + created + `)`,
		`INSERT INTO campaigns (id, hashtag, name, starts_on, created_at) VALUES (1, '#LearnThroughLife', 'Learn Through Life', ` + created + `, ` + created + `)`,
		`INSERT INTO stories (id, city_id, campaign_id, title, body, age_group, minor, publication_consent, guardian_consent, featured, status, receipt_hash,
			submitted_at, published_at, withdrawn_at, updated_at) VALUES ` + strings.Join(stories, ",\n"),
	}
}

// Migration 10 writes the stories withdrawn so far in the erasure ledger.
func TestUpgradeStoryErasures10(t *testing.T) {
	s := openAt(t, 9, storiesAt(
		`(1, 1, 1, 'Gone', 'Body', 'adults', FALSE, TRUE, FALSE, FALSE, 'withdrawn', '0123456789abcdef0123', `+ts("2024-01-01 10:00")+`, NULL, `+ts("2024-02-01 10:00")+`, `+ts("2024-02-02 10:00")+`)`,
		`(2, 1, 1, 'Gone too', 'Body', 'adults', FALSE, TRUE, FALSE, FALSE, 'withdrawn', 'fedcba9876543210fedc', `+ts("2024-01-01 10:00")+`, NULL, NULL, `+ts("2024-03-01 09:30")+`)`,
		`(3, 1, 1, 'Here', 'Body', 'adults', FALSE, TRUE, FALSE, FALSE, 'published', 'aaaabbbbccccddddeeee', `+ts("2024-01-01 10:00")+`, `+ts("2024-01-02 10:00")+`, NULL, `+ts("2024-01-02 10:00")+`)`,
	)...)
	must(t, s.Migrate(context.Background()))
	rows, err := s.Rows(context.Background(), "SELECT story_id, receipt, photo_key, reason, erased_at FROM story_erasures ORDER BY story_id")
	must(t, err)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id int
		var receipt, photo, reason string
		var at time.Time
		must(t, rows.Scan(&id, &receipt, &photo, &reason, &at))
		got = append(got, fmt.Sprintf("%d %s %q %s %s", id, receipt, photo, reason, at.UTC().Format(time.DateTime)))
	}
	must(t, rows.Err())
	want := []string{`1 0123456789abcdef "" withdrawn 2024-02-01 10:00:00`, `2 fedcba9876543210 "" withdrawn 2024-03-01 09:30:00`}
	if !slices.Equal(got, want) {
		t.Errorf("erasure ledger:\n got %q\nwant %q", got, want)
	}
}

// Migration 11 sends back to moderation the published stories without
// the consents they need, and makes the rule the database's; then
// migration 12 counts the stories and 16 indexes the published ones for
// search.
func TestUpgradeStoryConsent11(t *testing.T) {
	ctx := context.Background()
	at := ts("2024-01-01 10:00")
	story := func(id int, ageGroup string, minor, consent, guardian bool, status string) string {
		published := "NULL"
		if status == "published" {
			published = at
		}
		return fmt.Sprintf("(%d, 1, 1, 'Story %d', 'Words of story%d here', '%s', %t, %t, %t, TRUE, '%s', 'receipt-%04d', %s, %s, NULL, %s)",
			id, id, id, ageGroup, minor, consent, guardian, status, id, at, published, at)
	}
	s := openAt(t, 10, storiesAt(
		story(1, "adults", false, true, false, "published"),
		story(2, "adults", false, false, false, "published"),
		story(3, "children", false, true, false, "published"),
		story(4, "youth", true, true, true, "published"),
		story(5, "youth", true, true, false, "published"),
		story(6, "children", false, true, true, "published"),
		story(7, "adults", false, false, false, "pending"),
	)...)
	must(t, s.Migrate(ctx))
	var got []string
	for _, r := range selectAll(t, s, "SELECT id, status, featured, published_at FROM stories ORDER BY id") {
		got = append(got, fmt.Sprintf("%v %v %v %v", r["id"], r["status"], r["featured"] == true || r["featured"] == int64(1), r["published_at"] != nil))
	}
	want := []string{"1 published true true", "2 pending false false", "3 pending false false", "4 published true true",
		"5 pending false false", "6 published true true", "7 pending true false"}
	if !slices.Equal(got, want) {
		t.Errorf("stories after migration 11:\n got %q\nwant %q", got, want)
	}
	if err := s.RawExec(ctx, "UPDATE stories SET status = 'published' WHERE id = 2"); err == nil {
		t.Error("a story without its author's consent was published")
	}
	must(t, s.VerifyStoryCounts(ctx))
	page, err := s.SearchStories(ctx, models.GalleryQuery{Text: "story4"})
	must(t, err)
	if len(page.Stories) != 1 || page.Stories[0].ID != 4 {
		t.Errorf("search for a published story's word: %+v", page.Stories)
	}
}

// Migration 22 gives each campaign its address name, the hashtag in
// lower case, and the defaults of its new settings.
func TestUpgradeCampaignSlugs22(t *testing.T) {
	created := ts("2023-06-01 00:00")
	s := openAt(t, 21, `INSERT INTO campaigns (id, hashtag, name, starts_on, created_at) VALUES
		(1, '#LearnThroughLife', 'Learn Through Life', `+created+`, `+created+`),
		(2, '#ReadTogether2024', 'Read Together', `+created+`, `+created+`)`)
	must(t, s.Migrate(context.Background()))
	got := fmt.Sprint(selectAll(t, s, "SELECT id, slug, description, texts, due_days, due_on, report_periods, archived_at FROM campaigns ORDER BY id"))
	want := fmt.Sprint([]map[string]any{
		{"id": int64(1), "slug": "learnthroughlife", "description": "", "texts": "{}", "due_days": int64(30), "due_on": nil, "report_periods": "campaign,quarter,year", "archived_at": nil},
		{"id": int64(2), "slug": "readtogether2024", "description": "", "texts": "{}", "due_days": int64(30), "due_on": nil, "report_periods": "campaign,quarter,year", "archived_at": nil},
	})
	if got != want {
		t.Errorf("campaigns after migration 22:\n got %s\nwant %s", got, want)
	}
}

// Migration 31 keeps uploads' tokens hashed: the tokens of the uploads
// there are are hashed in place, so that a preview waiting and an
// import's status page still open with the links given before.
func TestUpgradeUploadTokensHashed31(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	at := func(d time.Duration) string { return "'" + now.Add(d).Format("2006-01-02 15:04:05") + "+00:00'" }
	s := openAt(t, 30, append(networkAt(30),
		`INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at) VALUES (7, 'agadir@example.org', 'Coordinator', 'x', 'coordinator', `+at(0)+`, `+at(0)+`)`,
		`INSERT INTO uploads (token, user_id, city_id, kind, name, data, created_at) VALUES ('waiting-token', 7, 1, 'events', 'a.csv', 'x', `+at(-time.Minute)+`)`,
		`INSERT INTO uploads (token, user_id, city_id, kind, name, data, created_at, state, runner, started_at, created_rows) VALUES
			('done-token', 7, 1, 'events', 'b.csv', '', `+at(-2*time.Minute)+`, 'done', 'r', `+at(-time.Minute)+`, 4)`)...)
	must(t, s.Migrate(ctx))
	if rows := selectAll(t, s, "SELECT token_hash FROM uploads WHERE token_hash IN ('waiting-token', 'done-token')"); len(rows) > 0 {
		t.Errorf("tokens kept in clear: %v", rows)
	}
	up, err := s.Upload(ctx, "waiting-token", 7, 1)
	if err != nil || string(up.Data) != "x" {
		t.Errorf("the waiting preview: %+v, %v", up, err)
	}
	done, err := s.ConfirmedUpload(ctx, "done-token", 1)
	if err != nil || done.State != models.UploadDone || done.CreatedRows != 4 {
		t.Errorf("the done import: %+v, %v", done, err)
	}
}

// Migration 36 rebuilds the search index folded, with authors and city
// tokens: stories published before it are found by their words, accents
// aside, their author and their city; the others are not, and the index
// still follows later writes.
func TestUpgradeStoriesSearchFolded36(t *testing.T) {
	ctx := context.Background()
	at := ts("2024-01-01 10:00")
	story := func(id int, title, name, status string, minor bool) string {
		published := "NULL"
		if status == "published" {
			published = at
		}
		return fmt.Sprintf(`INSERT INTO stories (id, city_id, campaign_id, title, body, display_name, age_group, minor, publication_consent, guardian_consent, status, receipt_hash,
			submitted_at, published_at, updated_at) VALUES (%d, 1, 1, '%s', 'Un atelier du soir.', '%s', 'youth', %t, TRUE, TRUE, '%s', 'receipt-%04d', %s, %s, %s)`,
			id, title, name, minor, status, id, at, published, at)
	}
	created := ts("2023-06-01 00:00")
	s := openAt(t, 35,
		`INSERT INTO cities (id, name, slug, country, region, joined_year, created_at, updated_at) VALUES (1, 'Fez', 'fez', 'MA', 'arab-states', 2020, `+created+`, `+created+`)`,
		`INSERT INTO city_names (city_id, lang, name, folded) VALUES (1, 'ar', 'فاس', 'فاس')`,
		`INSERT INTO campaigns (id, hashtag, name, starts_on, created_at) VALUES (1, '#LearnThroughLife', 'Learn Through Life', `+created+`, `+created+`)`,
		story(1, "École du soir", "Samira Idrissi", "published", false),
		story(2, "École en attente", "Omar Alami", "pending", false),
		story(3, "Cours de couture", "Yasmine Tazi", "published", true),
	)
	must(t, s.Migrate(ctx))
	search := func(text string) []uint {
		page, err := s.SearchStories(ctx, models.GalleryQuery{Text: text})
		must(t, err)
		var ids []uint
		for _, st := range page.Stories {
			ids = append(ids, st.ID)
		}
		return ids
	}
	for _, tt := range []struct {
		text string
		want []uint
	}{
		{"ecole", []uint{1}}, {"École", []uint{1}}, {"samira", []uint{1}}, {"omar", nil},
		{"yasmine", nil}, {"couture", []uint{3}}, {"فاس", []uint{3, 1}}, {"fez atelier", []uint{3, 1}},
	} {
		if got := search(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("after migration 36, %q finds %v, want %v", tt.text, got, tt.want)
		}
	}
	must(t, s.RawExec(ctx, "UPDATE stories SET status = 'hidden' WHERE id = 1"))
	if got := search("ecole"); len(got) != 0 {
		t.Errorf("a hidden story is still found: %v", got)
	}
}

// Migration 37 gives each person a mail language of its own: existing
// people keep getting mails in the language they chose for the pages.
func TestUpgradeMailLanguage37(t *testing.T) {
	at := ts("2024-01-01 10:00")
	s := openAt(t, 36, `INSERT INTO users (id, email, name, password_hash, role, language, created_at, updated_at) VALUES
		(1, 'fr@example.org', 'Française', 'x', 'coordinator', 'fr', `+at+`, `+at+`),
		(2, 'ar@example.org', 'عربية', 'x', 'staff', 'ar', `+at+`, `+at+`),
		(3, 'none@example.org', 'None', 'x', 'coordinator', '', `+at+`, `+at+`)`)
	must(t, s.Migrate(context.Background()))
	got := map[string]string{}
	for _, row := range selectAll(t, s, "SELECT email, mail_language FROM users ORDER BY id") {
		got[fmt.Sprint(row["email"])] = fmt.Sprint(row["mail_language"])
	}
	want := map[string]string{"fr@example.org": "fr", "ar@example.org": "ar", "none@example.org": ""}
	if !maps.Equal(got, want) {
		t.Errorf("mail languages after the upgrade = %v, want %v", got, want)
	}
}
