package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestMinorsStoryNeverPublishedWithoutGuardianConsent: whatever the form
// said and whatever the caller passes, the s refuses to publish a
// minor's story the database holds without a guardian's consent, and the
// database itself refuses such a row.
func TestMinorsStoryNeverPublishedWithoutGuardianConsent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, photos := storetest.DSN(t)
	s, err := store.Open(dsn, photos)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Migrate(ctx))
	f := &storetest.Fixture{Store: s, Reports: report.New(s)}
	f.Campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life"}
	must(t, s.CreateCampaign(ctx, f.Campaign))
	f.Agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, s.CreateCity(ctx, models.CLIActor(), f.Agadir, nil))
	raw := rawDB(t, dsn)

	cases := []struct{ name, set string }{
		{"minor without guardian consent", "minor = TRUE, guardian_consent = FALSE"},
		{"child without guardian consent", "age_group = 'children', minor = FALSE, guardian_consent = FALSE"},
		{"no publication consent", "publication_consent = FALSE"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			st := f.ValidStory()
			_, err := s.CreateStory(ctx, st, nil)
			must(t, err)
			// Another path wrote the row (an import, a script, a bug).
			if _, err := raw.Exec("UPDATE stories SET " + tt.set + " WHERE id = " + fmt.Sprint(st.ID)); err != nil {
				t.Fatal(err)
			}
			// The caller's copy claims every consent.
			st.Minor, st.GuardianConsent, st.PublicationConsent = false, true, true
			err = s.ModerateStory(ctx, models.CLIActor(), st, models.ActionPublish, "")
			if fe, ok := models.AsFieldErrors(err); !ok || fe["_"].Code != "no_consent" {
				t.Errorf("publish: err = %v, want a consent problem", err)
			}
			if got, _ := s.Story(ctx, st.ID); got.Status != models.StoryPending {
				t.Errorf("status = %s after a refused publication", got.Status)
			}
			if _, err := raw.Exec("UPDATE stories SET status = 'published' WHERE id = " + fmt.Sprint(st.ID)); err == nil ||
				!strings.Contains(err.Error(), "stories_consent") {
				t.Errorf("the database published it: err = %v", err)
			}
		})
	}
}

// rawDB is a plain connection to the test database, for writes that do not
// go through the s.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite3"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}
