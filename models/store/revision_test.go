package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// ledgerFixture is a fixture on a store that keeps an erasure ledger, with
// the raw database beside it to look for content.
func ledgerFixture(t *testing.T) (*storetest.Fixture, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	dsn, photos := storetest.DSN(t)
	base, err := store.Open(dsn, photos)
	must(t, err)
	t.Cleanup(func() { base.Close() })
	s := base.WithErasureLedger(filepath.Join(t.TempDir(), "erasures.log"))
	must(t, s.Migrate(ctx))
	f := &storetest.Fixture{Store: s, Reports: report.New(s), PhotoDir: photos}
	f.Campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, s.CreateCampaign(ctx, f.Campaign))
	f.Agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, s.CreateCity(ctx, models.CLIActor(), f.Agadir, nil))
	f.AgadirCoo, err = s.CreateUser(ctx, models.CLIActor(), models.NewUser{Email: "agadir@example.org", Name: "Agadir Coordinator", Password: "a long password", Role: models.RoleCoordinator, CityIDs: []uint{f.Agadir.ID}})
	must(t, err)
	return f, rawDB(t, dsn)
}

// tablesHolding lists the tables of the database in which some text
// column holds marker: every table and every column, so that no copy of
// a learner's words escapes the check.
func tablesHolding(t *testing.T, db *sql.DB, marker string) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if _, err := db.Exec("SELECT current_schema()"); err == nil {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := db.Query(q)
	must(t, err)
	var tables []string
	for rows.Next() {
		var name string
		must(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	must(t, rows.Close())
	var out []string
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		must(t, err)
		cols, err := rows.Columns()
		must(t, err)
		found := false
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			for _, v := range vals {
				var s string
				switch v := v.(type) {
				case string:
					s = v
				case []byte:
					s = string(v)
				}
				if strings.Contains(s, marker) {
					found = true
				}
			}
		}
		must(t, rows.Close())
		if found {
			out = append(out, table)
		}
	}
	return out
}

// TestEditsKeepTheOriginalUntilErasure: a moderator's correction and the
// learner's new version each keep the words they replace, for moderators
// only; a withdrawal erases them all with the story, a restore that
// brings them back has them erased again by the ledger's replay, and the
// audit names fields, never words.
func TestEditsKeepTheOriginalUntilErasure(t *testing.T) {
	t.Parallel()
	f, db := ledgerFixture(t)
	ctx := context.Background()
	st := f.ValidStory()
	st.Title, st.Body, st.DisplayName = "Orig Quokkatitle", "The literacy circle changed my life, says Quokkabody.", "Fatima Quokkaname"
	code, err := f.Store.CreateStory(ctx, st, nil)
	must(t, err)

	// The moderator redacts the surname and fixes the text.
	fixed := models.StoryEdit{Title: "I learned to read", Body: "The literacy circle changed my life.", DisplayName: "Fatima"}
	if err := f.Store.EditStory(ctx, f.AgadirCoo.Actor(), st, fixed, "stale", false); !errors.Is(err, models.ErrTransition) {
		t.Errorf("edit from a stale page: %v", err)
	}
	bad := fixed
	bad.Body = "Too short"
	if _, ok := models.AsFieldErrors(f.Store.EditStory(ctx, f.AgadirCoo.Actor(), st, bad, st.Version(), false)); !ok {
		t.Error("a short text was accepted")
	}
	if revs, _ := f.Store.StoryRevisions(ctx, st.ID); len(revs) != 0 {
		t.Fatalf("refused edits wrote %d revisions", len(revs))
	}
	must(t, f.Store.EditStory(ctx, f.AgadirCoo.Actor(), st, fixed, st.Version(), false))
	got, err := f.Store.Story(ctx, st.ID)
	must(t, err)
	if got.Title != fixed.Title || got.Body != fixed.Body || got.PublicName() != "Fatima" || got.Status != models.StoryPending {
		t.Fatalf("edited story = %+v", got)
	}
	revs, err := f.Store.StoryRevisions(ctx, st.ID)
	must(t, err)
	if len(revs) != 1 || revs[0].Title != "Orig Quokkatitle" || revs[0].DisplayName != "Fatima Quokkaname" ||
		revs[0].Author != models.RevisionLearner || revs[0].ReplacedBy != models.RevisionModerator {
		t.Fatalf("revisions after the edit = %+v", revs)
	}
	// Sent back; the learner sends a new version, which the moderator's
	// version makes way for.
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), got, models.ActionReject, "Please say more about the circle."))
	if _, err := f.Store.ResubmitStory(ctx, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", fixed); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("resubmission with a wrong code: %v", err)
	}
	again, err := f.Store.ResubmitStory(ctx, code, models.StoryEdit{Title: "I learned to read", Body: "Every Tuesday the Quokkasecond circle met at the library.", DisplayName: "Fatima"})
	must(t, err)
	if again.Status != models.StoryPending || again.RejectReason == "" {
		t.Errorf("resubmitted story = %+v", again)
	}
	if _, err := f.Store.ResubmitStory(ctx, code, fixed); !errors.Is(err, models.ErrTransition) {
		t.Errorf("a pending story was resubmitted: %v", err)
	}
	revs, err = f.Store.StoryRevisions(ctx, st.ID)
	must(t, err)
	if len(revs) != 2 || revs[1].Author != models.RevisionModerator || revs[1].ReplacedBy != models.RevisionLearner {
		t.Fatalf("revisions after the resubmission = %+v", revs)
	}
	markers := []string{"Quokkatitle", "Quokkabody", "Quokkaname", "Quokkasecond"}
	for _, m := range markers {
		if len(tablesHolding(t, db, m)) == 0 {
			t.Fatalf("%s is nowhere before the erasure: the check would prove nothing", m)
		}
	}
	log, err := f.Store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 100})
	must(t, err)
	var edits, resubmits int
	for _, a := range log.Items {
		switch {
		case a.Action == models.AuditEdit && a.Summary == "edited: title, body, display_name":
			edits++
		case a.Action == models.AuditResubmit && a.UserEmail == models.ActorLearner && a.Summary == "status: pending; edited: body":
			resubmits++
		}
	}
	if edits != 1 || resubmits != 1 {
		t.Errorf("audit: %d edits, %d resubmissions, want 1 each", edits, resubmits)
	}

	// Withdrawn: no table holds any version's words.
	_, err = f.Store.WithdrawStory(ctx, code)
	must(t, err)
	for _, m := range markers {
		if tables := tablesHolding(t, db, m); len(tables) > 0 {
			t.Errorf("%s survives the withdrawal in %v", m, tables)
		}
	}
	// A restore brings the story and a version back: the replay erases both.
	for _, q := range []string{
		fmt.Sprintf("UPDATE stories SET title = 'Back Quokkatitle', body = 'The whole text, back again.', status = 'pending' WHERE id = %d", st.ID),
		fmt.Sprintf("INSERT INTO story_revisions (story_id, title, body, display_name, author, replaced_by, replaced_at) VALUES (%d, 'Old Quokkatitle', 'Old Quokkabody text.', 'Fatima Quokkaname', 'learner', 'moderator', CURRENT_TIMESTAMP)", st.ID),
		"DELETE FROM story_erasures",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	n, err := f.Store.ReplayErasures(ctx)
	must(t, err)
	if n != 1 {
		t.Errorf("replay erased %d stories, want 1", n)
	}
	for _, m := range markers {
		if tables := tablesHolding(t, db, m); len(tables) > 0 {
			t.Errorf("%s survives the replay in %v", m, tables)
		}
	}
}

// TestRetentionErasesTheVersions: a rejected story's earlier versions go
// with it at the end of the retention period.
func TestRetentionErasesTheVersions(t *testing.T) {
	t.Parallel()
	f, db := ledgerFixture(t)
	ctx := context.Background()
	st := f.ValidStory()
	st.Body = "The literacy circle changed my life, says Wombatbody."
	_, err := f.Store.CreateStory(ctx, st, nil)
	must(t, err)
	must(t, f.Store.EditStory(ctx, f.AgadirCoo.Actor(), st, models.StoryEdit{Title: st.Title, Body: "The literacy circle changed my life.", DisplayName: st.DisplayName}, st.Version(), false))
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), st, models.ActionReject, "Not about learning"))
	if len(tablesHolding(t, db, "Wombatbody")) == 0 {
		t.Fatal("the original is nowhere before the erasure")
	}
	n, err := f.Store.EraseRejectedStories(ctx, time.Now().Add(time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("erased %d stories, want 1", n)
	}
	if tables := tablesHolding(t, db, "Wombatbody"); len(tables) > 0 {
		t.Errorf("the original survives the retention rule in %v", tables)
	}
}

// TestPublishStoriesAllOrNone: a bulk publication that meets a story it
// may not publish publishes none, and names that story.
func TestPublishStoriesAllOrNone(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	var stories []*models.Story
	for i := range 3 {
		st := f.ValidStory()
		st.Title = fmt.Sprintf("Story %d", i)
		_, err := f.Store.CreateStory(ctx, st, nil)
		must(t, err)
		stories = append(stories, st)
	}
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), stories[2], models.ActionPublish, ""))
	err := f.Store.PublishStories(ctx, f.AgadirCoo.Actor(), stories) // the third is stale: pending in memory
	var be *store.BulkError
	if !errors.As(err, &be) || be.Story.ID != stories[2].ID || !errors.Is(err, models.ErrTransition) {
		t.Fatalf("err = %v, want the third story's ErrTransition", err)
	}
	for _, st := range stories[:2] {
		if got, _ := f.Store.Story(ctx, st.ID); got.Status != models.StoryPending {
			t.Errorf("story %d is %s after a refused bulk publication", st.ID, got.Status)
		}
	}
	must(t, f.Store.PublishStories(ctx, f.AgadirCoo.Actor(), stories[:2]))
	for _, st := range stories[:2] {
		if got, _ := f.Store.Story(ctx, st.ID); got.Status != models.StoryPublished {
			t.Errorf("story %d is %s after the bulk publication", st.ID, got.Status)
		}
	}
}
