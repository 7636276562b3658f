package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func countStories(t *testing.T, s *store.Store) int64 {
	t.Helper()
	p, err := s.Stories(context.Background(), models.StoryFilter{}, models.Page{Size: 1})
	must(t, err)
	return p.Total
}

func TestStoryValidation(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(st *models.Story)
		field  string
	}{
		{"no publication consent", func(st *models.Story) { st.PublicationConsent = false }, "publication_consent"},
		{"child without guardian consent", func(st *models.Story) { st.AgeGroup = models.AgeChildren }, "guardian_consent"},
		{"minor youth without guardian consent", func(st *models.Story) { st.AgeGroup = models.AgeYouth; st.Minor = true }, "guardian_consent"},
		{"adult who says under 18", func(st *models.Story) { st.Minor = true; st.GuardianConsent = true }, "minor"},
		{"no name and not anonymous", func(st *models.Story) { st.DisplayName = " " }, "display_name"},
		{"unknown city", func(st *models.Story) { st.CityID = 9999 }, "city"},
		{"no title", func(st *models.Story) { st.Title = "" }, "title"},
		{"long title", func(st *models.Story) { st.Title = string(make([]rune, 121)) }, "title"},
		{"short text", func(st *models.Story) { st.Body = "Too short." }, "body"},
		{"bad email", func(st *models.Story) { st.ContactEmail = "fatima@" }, "contact_email"},
		{"bad age group", func(st *models.Story) { st.AgeGroup = "ancient" }, "age_group"},
		{"bad area", func(st *models.Story) { st.LearningAreas = []models.LearningArea{"x"} }, "learning_areas"},
	}
	for _, tt := range tests {
		st := f.ValidStory()
		tt.change(st)
		_, err := f.Store.CreateStory(ctx, st, nil)
		fe, ok := models.AsFieldErrors(err)
		if !ok || fe[tt.field].Code == "" {
			t.Errorf("%s: err = %v, want a problem on %s", tt.name, err, tt.field)
		}
	}
	if n := countStories(t, f.Store); n != 0 {
		t.Fatalf("stories = %d after refused submissions, want 0", n)
	}
	// A child with a guardian's consent is fine, and shown by first name only.
	st := f.ValidStory()
	st.AgeGroup, st.GuardianConsent, st.DisplayName = models.AgeChildren, true, "Adam Benali"
	_, err := f.Store.CreateStory(ctx, st, nil)
	must(t, err)
	if !st.Minor || st.PublicName() != "Adam" {
		t.Errorf("minor = %v, public name = %q", st.Minor, st.PublicName())
	}
	anon := &models.Story{DisplayName: "Someone", Anonymous: true}
	if anon.PublicName() != "" {
		t.Errorf("anonymous public name = %q", anon.PublicName())
	}
}

func TestReceiptAndWithdrawal(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	photo := storedPhoto(t, 40, 20)
	st := f.ValidStory()
	code, err := f.Store.CreateStory(ctx, st, photo)
	must(t, err)
	if len(code) < 24 {
		t.Fatalf("receipt code %q is short", code)
	}
	got, err := f.Store.StoryByReceipt(ctx, " "+lower(code)+" ")
	must(t, err)
	if got.ID != st.ID || got.Status != models.StoryPending {
		t.Fatalf("story by receipt = %+v", got)
	}
	if got.ReceiptHash == code || got.ReceiptHash == "" {
		t.Error("the code is stored in clear")
	}
	if _, err := f.Store.StoryByReceipt(ctx, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("wrong code: err = %v", err)
	}
	file, err := f.Store.StoryPhoto(got)
	must(t, err)
	photoPath := file.Name()
	file.Close()

	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), got, models.ActionPublish, ""))
	got, _ = f.Store.Story(ctx, st.ID)
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), got, models.ActionFeature, ""))

	w, err := f.Store.WithdrawStory(ctx, code)
	must(t, err)
	if w.Status != models.StoryWithdrawn || w.Title != "" || w.Body != "" || w.DisplayName != "" || w.ContactEmail != "" || w.PhotoKey != "" || w.Featured {
		t.Errorf("withdrawn story keeps content: %+v", w)
	}
	if w.CityID != f.Agadir.ID || w.AgeGroup != models.AgeAdults || w.WithdrawnAt == nil {
		t.Errorf("tombstone lost what figures need: %+v", w)
	}
	if _, err := os.Stat(photoPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("photo file still on disk: %v", err)
	}
	published, err := f.Store.Stories(ctx, models.StoryFilter{Status: models.StoryPublished}, models.Page{})
	must(t, err)
	if published.Total != 0 {
		t.Error("withdrawn story still published")
	}
	// Withdrawing twice is harmless.
	if _, err := f.Store.WithdrawStory(ctx, code); err != nil {
		t.Fatal(err)
	}
}

func TestModerationTransitions(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	st := f.ValidStory()
	_, err := f.Store.CreateStory(ctx, st, nil)
	must(t, err)
	reload := func() *models.Story {
		got, err := f.Store.Story(ctx, st.ID)
		must(t, err)
		return got
	}
	steps := []struct {
		action models.StoryAction
		reason string
		want   error
		status models.StoryStatus
	}{
		{models.ActionFeature, "", models.ErrTransition, models.StoryPending},
		{models.ActionUnpublish, "", models.ErrTransition, models.StoryPending},
		{models.ActionReject, "", nil, models.StoryPending}, // reason required: field error
		{models.ActionPublish, "", nil, models.StoryPublished},
		{models.ActionPublish, "", models.ErrTransition, models.StoryPublished},
		{models.ActionFeature, "", nil, models.StoryPublished},
		// Hidden, not sent back to the queue; shown again with Publish.
		{models.ActionUnpublish, "", nil, models.StoryHidden},
		{models.ActionUnpublish, "", models.ErrTransition, models.StoryHidden},
		{models.ActionFeature, "", models.ErrTransition, models.StoryHidden},
		{models.ActionPublish, "", nil, models.StoryPublished},
		{models.ActionUnpublish, "", nil, models.StoryHidden},
		{models.ActionReject, "Not about learning", nil, models.StoryRejected},
		{models.ActionFeature, "", models.ErrTransition, models.StoryRejected},
		{models.ActionPublish, "", nil, models.StoryPublished},
	}
	for i, step := range steps {
		err := f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), reload(), step.action, step.reason)
		if step.action == models.ActionReject && step.reason == "" {
			if fe, ok := models.AsFieldErrors(err); !ok || fe["reason"].Code != "required" {
				t.Errorf("step %d: reject without reason: err = %v", i, err)
			}
		} else if !errors.Is(err, step.want) {
			t.Errorf("step %d %s: err = %v, want %v", i, step.action, err, step.want)
		}
		if got := reload(); got.Status != step.status {
			t.Errorf("step %d %s: status %s, want %s", i, step.action, got.Status, step.status)
		}
	}
	if got := reload(); got.Featured {
		t.Error("hiding kept the story featured")
	}
	// A decision taken on a stale copy fails rather than overriding.
	stale := reload()
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), reload(), models.ActionUnpublish, ""))
	if err := f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), stale, models.ActionFeature, ""); !errors.Is(err, models.ErrTransition) {
		t.Errorf("stale decision: err = %v, want ErrTransition", err)
	}
	log, err := f.Store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 100})
	must(t, err)
	decisions := 0
	for _, a := range log.Items {
		if a.Entity == "story" && a.UserEmail == "agadir@example.org" {
			decisions++
		}
	}
	if decisions != 8 {
		t.Errorf("audit has %d decisions, want 8", decisions)
	}
}

func TestFailedStoryLeavesNoFile(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	photo := storedPhoto(t, 30, 30)
	st := f.ValidStory()
	st.CityID = 4242 // refused inside the transaction, after the photo is written
	st.Title = "Valid title"
	if _, err := f.Store.CreateStory(ctx, st, photo); err == nil {
		t.Fatal("story of an unknown city stored")
	}
	files, _ := filepath.Glob(filepath.Join(f.PhotoDir, "*"))
	if len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}

func TestMinorNamesAnySpace(t *testing.T) {
	for name, want := range map[string]string{"Adam Benali": "Adam", "山田\u3000太郎": "山田", "Léa\u00a0Martin": "Léa", "Omar\tK": "Omar"} {
		st := &models.Story{DisplayName: name, Minor: true}
		if got := st.PublicName(); got != want {
			t.Errorf("PublicName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestErasureLeavesNoTraceOnDisk withdraws a story and then reads the
// SQLite files byte by byte: the database, its write-ahead log and its
// shared-memory index hold none of the story's content.
func TestErasureLeavesNoTraceOnDisk(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	if f.Store.Dialect() != "sqlite" {
		t.Skip("checks the SQLite files")
	}
	ctx := context.Background()
	st := f.ValidStory()
	st.Title = "Quokka title 7731"
	// Longer than a page, so that the text also fills overflow pages.
	st.Body = strings.Repeat("Marmalade body 5512. ", 230)
	st.DisplayName = "Zephyrine Quarrington"
	st.ContactEmail = "zephyrine@private.example"
	code, err := f.Store.CreateStory(ctx, st, nil)
	must(t, err)
	got, err := f.Store.Story(ctx, st.ID)
	must(t, err)
	must(t, f.Store.ModerateStory(ctx, f.AgadirCoo.Actor(), got, models.ActionReject, "Reason marker 9910"))
	_, err = f.Store.WithdrawStory(ctx, code)
	must(t, err)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(f.PhotoDir), "*.db*"))
	must(t, err)
	if len(files) == 0 {
		t.Fatal("no database files found")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		must(t, err)
		for _, content := range []string{"Quokka title", "Marmalade body", "Zephyrine", "zephyrine@private", "Reason marker"} {
			if bytes.Contains(data, []byte(content)) {
				t.Errorf("%s still holds %q", filepath.Base(file), content)
			}
		}
	}
}

// TestStoryOfAGoneSenderIsNotStored: a story whose request ended (the
// sender disconnected, or its deadline passed) before the write committed
// leaves neither a story nor a photo behind.
func TestStoryOfAGoneSenderIsNotStored(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	photo := storedPhoto(t, 30, 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Store.CreateStory(ctx, f.ValidStory(), photo); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	page, err := f.Store.Stories(context.Background(), models.StoryFilter{}, models.Page{Size: 1})
	must(t, err)
	files, _ := filepath.Glob(filepath.Join(f.PhotoDir, "*"))
	if page.Total != 0 || len(files) != 0 {
		t.Errorf("%d stories and files %v left", page.Total, files)
	}
}
