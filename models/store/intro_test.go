package store_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestDocumentIntros saves, changes and removes the introduction of a
// period's document language by language, audits each change, keeps
// other periods apart, and refuses bad texts without writing.
func TestDocumentIntros(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	staff := models.Actor{Email: "staff@example.org"}
	audited := func() []models.AuditEntry {
		t.Helper()
		log, err := f.Store.AuditEntries(ctx, models.AuditFilter{AllCities: true, ChangesOnly: true}, models.Page{Size: 100})
		must(t, err)
		var out []models.AuditEntry
		for _, e := range log.Items {
			if e.Entity == models.EntityDocumentIntro {
				out = append(out, e)
			}
		}
		return out
	}
	texts := func(from, to string) map[string]string {
		t.Helper()
		got, err := f.Store.DocumentIntros(ctx, from, to)
		must(t, err)
		return got
	}

	must(t, f.Store.SaveDocumentIntros(ctx, staff, "2025-01-01", "2025-12-31", map[string]string{
		"en": "  A year of learning.\r\n\r\nThank you.  ", "fr": "", "ar": "عام من التعلّم.",
	}, now))
	want := map[string]string{"en": "A year of learning.\n\nThank you.", "ar": "عام من التعلّم."}
	if got := texts("2025-01-01", "2025-12-31"); !maps.Equal(got, want) {
		t.Errorf("saved %q, want %q", got, want)
	}
	if got := texts("2025-01-01", "2025-03-31"); len(got) != 0 {
		t.Errorf("a quarter of the year has the year's introduction: %q", got)
	}
	if log := audited(); len(log) != 2 || log[0].Action != models.AuditCreate || !strings.Contains(log[0].Summary, "2025-01-01 – 2025-12-31") {
		t.Errorf("audit after creating two texts: %+v", log)
	}

	// Unchanged English, changed Arabic, French still empty: one change.
	must(t, f.Store.SaveDocumentIntros(ctx, staff, "2025-01-01", "2025-12-31", map[string]string{
		"en": "A year of learning.\n\nThank you.", "fr": "", "ar": "عام من التعلّم والعمل.",
	}, now))
	if log := audited(); len(log) != 3 || log[0].Action != models.AuditUpdate || !strings.HasSuffix(log[0].Summary, "(ar)") {
		t.Errorf("audit after changing one text: %+v", log)
	}
	// An emptied text is removed.
	must(t, f.Store.SaveDocumentIntros(ctx, staff, "2025-01-01", "2025-12-31", map[string]string{"ar": " "}, now))
	if got := texts("2025-01-01", "2025-12-31"); len(got) != 1 || got["en"] == "" {
		t.Errorf("after removing the Arabic text: %q", got)
	}
	if log := audited(); len(log) != 4 || log[0].Action != models.AuditDelete {
		t.Errorf("audit after removing a text: %+v", log)
	}

	// Bad texts are refused whole: nothing is written, nothing audited.
	for name, bad := range map[string]map[string]string{
		"too long":       {"en": "Fine.", "fr": strings.Repeat("é", models.IntroMaxChars+1)},
		"control":        {"en": "Fine.", "es": "a\x1bb"},
		"not a language": {"en": "Fine.", "de": "Hallo."},
	} {
		err := f.Store.SaveDocumentIntros(ctx, staff, "2025-01-01", "2025-12-31", bad, now)
		if _, ok := models.AsFieldErrors(err); !ok {
			t.Errorf("%s: %v, want field errors", name, err)
		}
	}
	if got := texts("2025-01-01", "2025-12-31"); !maps.Equal(got, map[string]string{"en": "A year of learning.\n\nThank you."}) {
		t.Errorf("refused texts changed the introduction: %q", got)
	}
	if log := audited(); len(log) != 4 {
		t.Errorf("refused texts were audited: %d entries", len(log))
	}
	// At the limit is fine.
	must(t, f.Store.SaveDocumentIntros(ctx, staff, "2025-01-01", "2025-12-31", map[string]string{"fr": strings.Repeat("é", models.IntroMaxChars)}, now))
}
