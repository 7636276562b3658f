package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestRejectedStoriesErasedAfterRetention(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	photo := storedPhoto(t, 30, 20)
	stories := map[string]*models.Story{}
	for _, name := range []string{"rejected", "pending", "published"} {
		st := f.ValidStory()
		st.Title = "Retention " + name
		_, err := f.Store.CreateStory(ctx, st, photo)
		must(t, err)
		stories[name] = st
	}
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), stories["rejected"], models.ActionReject, "Off topic"))
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), stories["published"], models.ActionPublish, ""))

	// Rejected within the retention period: kept.
	n, err := f.Store.EraseRejectedStories(ctx, time.Now().Add(-time.Hour))
	must(t, err)
	if n != 0 {
		t.Fatalf("erased %d stories rejected after the cutoff", n)
	}
	// Rejected before the cutoff: erased, as a withdrawal erases.
	n, err = f.Store.EraseRejectedStories(ctx, time.Now().Add(time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("erased %d stories, want 1", n)
	}
	got, err := f.Store.Story(ctx, stories["rejected"].ID)
	must(t, err)
	if got.Status != models.StoryErased || got.Title != "" || got.Body != "" || got.DisplayName != "" || got.ContactEmail != "" ||
		got.RejectReason != "" || got.HasPhoto() || !got.Erased() {
		t.Errorf("rejected story after retention: %+v", got)
	}
	if _, err := os.Stat(filepath.Join(f.PhotoDir, stories["rejected"].PhotoKey+".jpg")); !os.IsNotExist(err) {
		t.Errorf("the erased story's photo is still on disk: %v", err)
	}
	for _, name := range []string{"pending", "published"} {
		other, err := f.Store.Story(ctx, stories[name].ID)
		must(t, err)
		if other.Title != "Retention "+name || other.Erased() || !other.HasPhoto() {
			t.Errorf("%s story touched by the retention rule: %+v", name, other)
		}
	}
	// Erased stories cannot be published again.
	if err := f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), got, models.ActionPublish, ""); err == nil {
		t.Error("an erased story was published")
	}
	log, err := f.Store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 100})
	must(t, err)
	var erasures int
	for _, a := range log.Items {
		if a.Action == models.AuditErase && a.EntityID == got.ID {
			erasures++
		}
		if strings.Contains(a.Summary, "Retention") || strings.Contains(a.Summary, "Off topic") {
			t.Errorf("audit entry holds content: %+v", a)
		}
	}
	if erasures != 1 {
		t.Errorf("%d audit entries for the erasure, want 1", erasures)
	}
}

// TestErasureLedgerSurvivesRestore restores a backup made before a
// withdrawal: the ledger file in the data directory erases the story again,
// and its photo, which the restored photo directory brought back; a story
// that the restored database gives a withdrawn story's id is left alone.
func TestErasureLedgerSurvivesRestore(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	if f.Store.Dialect() != "sqlite" {
		t.Skip("backs up with VACUUM INTO")
	}
	ctx := context.Background()
	dataDir := t.TempDir()
	ledger := filepath.Join(dataDir, "erasures.log")
	ledgered := f.Store.WithErasureLedger(ledger)
	photo := storedPhoto(t, 30, 20)
	early := f.ValidStory()
	early.Title = "Withdrawn after the backup"
	earlyCode, err := ledgered.CreateStory(ctx, early, photo)
	must(t, err)
	photoPath := filepath.Join(f.PhotoDir, early.PhotoKey+".jpg")
	photoData, err := os.ReadFile(photoPath)
	must(t, err)
	backup := filepath.Join(dataDir, "backup.db")
	must(t, ledgered.Backup(ctx, backup))

	_, err = ledgered.WithdrawStory(ctx, earlyCode)
	must(t, err)
	late := f.ValidStory()
	late.Title = "Sent and withdrawn after the backup"
	lateCode, err := ledgered.CreateStory(ctx, late, nil)
	must(t, err)
	_, err = ledgered.WithdrawStory(ctx, lateCode)
	must(t, err)

	// Restore: the old database, the old photos, the data directory's ledger.
	must(t, os.WriteFile(photoPath, photoData, 0o600))
	restored, err := store.Open(backup, f.PhotoDir)
	must(t, err)
	t.Cleanup(func() { restored.Close() })
	restored = restored.WithErasureLedger(ledger)
	must(t, restored.Migrate(ctx))
	// A new story takes the id the late one had in the lost timeline.
	reused := f.ValidStory()
	reused.Title = "A new story with a reused id"
	_, err = restored.CreateStory(ctx, reused, nil)
	must(t, err)
	if reused.ID != late.ID {
		t.Fatalf("new story id %d, want the reused id %d", reused.ID, late.ID)
	}

	n, err := restored.ReplayErasures(ctx)
	must(t, err)
	if n != 1 {
		t.Errorf("replay erased %d stories, want 1", n)
	}
	got, err := restored.Story(ctx, early.ID)
	must(t, err)
	if got.Status != models.StoryWithdrawn || got.Title != "" || got.Body != "" || got.HasPhoto() {
		t.Errorf("restored story not erased again: %+v", got)
	}
	if _, err := os.Stat(photoPath); !os.IsNotExist(err) {
		t.Errorf("restored photo not erased again: %v", err)
	}
	if again, err := restored.Story(ctx, reused.ID); err != nil || again.Title != reused.Title || again.Erased() {
		t.Errorf("a new story with a withdrawn story's id was touched: %+v, %v", again, err)
	}
	// Replaying twice changes nothing more.
	if n, err := restored.ReplayErasures(ctx); err != nil || n != 0 {
		t.Errorf("second replay: %d, %v", n, err)
	}
	data, err := os.ReadFile(ledger)
	must(t, err)
	if info, _ := os.Stat(ledger); info.Mode().Perm() != 0o600 {
		t.Errorf("ledger mode %v, want 0600", info.Mode().Perm())
	}
	if strings.Contains(string(data), "after the backup") || strings.Contains(string(data), "Fatima") {
		t.Errorf("the ledger holds content:\n%s", data)
	}
}

// TestReplayErasesWhatTheDatabaseForgot plays a restore on either engine:
// the database forgets an erasure (content back, its ledger row gone) and
// the ledger file erases the story again; a lost file is written again
// from the database.
func TestReplayErasesWhatTheDatabaseForgot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, photos := storetest.DSN(t)
	base, err := store.Open(dsn, photos)
	must(t, err)
	t.Cleanup(func() { base.Close() })
	ledger := filepath.Join(t.TempDir(), "erasures.log")
	ledgered := base.WithErasureLedger(ledger)
	must(t, ledgered.Migrate(ctx))
	f := &storetest.Fixture{Store: ledgered, Reports: report.New(ledgered)}
	f.Campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life"}
	must(t, ledgered.CreateCampaign(ctx, f.Campaign))
	f.Agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, ledgered.CreateCity(ctx, models.CLIActor(), f.Agadir, nil))
	st := f.ValidStory()
	code, err := ledgered.CreateStory(ctx, st, nil)
	must(t, err)
	_, err = ledgered.WithdrawStory(ctx, code)
	must(t, err)

	raw := rawDB(t, dsn)
	for _, q := range []string{
		"UPDATE stories SET title = 'Back from a backup', body = 'The whole text, back again.', status = 'pending' WHERE id = " + fmt.Sprint(st.ID),
		"DELETE FROM story_erasures",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	n, err := ledgered.ReplayErasures(ctx)
	must(t, err)
	got, err := ledgered.Story(ctx, st.ID)
	must(t, err)
	if n != 1 || got.Status != models.StoryWithdrawn || got.Title != "" || got.Body != "" {
		t.Fatalf("replay erased %d; story %+v", n, got)
	}
	must(t, os.Remove(ledger))
	n, err = ledgered.ReplayErasures(ctx)
	must(t, err)
	data, err := os.ReadFile(ledger)
	must(t, err)
	if n != 0 || !strings.Contains(string(data), fmt.Sprintf(`"story":%d,`, st.ID)) {
		t.Errorf("lost ledger not written again from the database (replay erased %d):\n%s", n, data)
	}
}
