package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// BenchmarkPlanReimport plans again a 10,000-row events file that the
// city already has, with one title changed: every row is read, matched,
// checked and compared field for field with its stored event, to find the
// one update and the 9,999 unchanged rows, and the preview keeps its rows.
// It is what a coordinator's preview of a re-import costs, the SQLite
// fixture's database aside from the network's.
func BenchmarkPlanReimport(b *testing.B) {
	f := storetest.NewFixture(b)
	ctx := context.Background()
	file := func(title0 string) string {
		var s strings.Builder
		s.WriteString("external_ref,title,starts_at,status,participants,learning_areas,age_groups,partners\n")
		start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
		for i := range 10_000 {
			title := fmt.Sprintf("Imported event %d", i)
			if i == 0 {
				title = title0
			}
			t := start.Add(time.Duration(i%340)*24*time.Hour + time.Duration(i%9)*time.Hour)
			fmt.Fprintf(&s, "R-%05d,%s,%s,held,%d,culture; workplace,adults,Agadir Library\n", i, title, t.Format("2006-01-02 15:04"), 10+i%200)
		}
		return s.String()
	}
	up := &models.Upload{UserID: f.AgadirCoo.ID, CityID: f.Agadir.ID, Kind: string(models.ImportEvents), Name: "f.csv", Data: []byte(file("Imported event 0"))}
	if _, err := f.Store.SaveUpload(ctx, up); err != nil {
		b.Fatal(err)
	}
	if err := f.Store.ClaimUpload(ctx, up, "bench"); err != nil {
		b.Fatal(err)
	}
	if _, err := importer.Import(ctx, f.Store, f.AgadirCoo.Actor(), up, f.Agadir, models.ImportVocabulary{}, time.Now(), models.ImportChoices{}, nil); err != nil {
		b.Fatal(err)
	}
	sheet, err := importer.ReadSheet(ctx, []byte(file("Imported event 0 (renamed)")))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		plan, err := importer.Plan(ctx, f.Store, models.ImportEvents, f.Agadir, sheet, models.ImportVocabulary{}, time.Now(), models.ImportChoices{})
		if err != nil {
			b.Fatal(err)
		}
		if plan.Updates != 1 || plan.Unchanged != 9_999 || len(plan.Rows) != 1 {
			b.Fatalf("plan: %d updates, %d unchanged, %d rows", plan.Updates, plan.Unchanged, len(plan.Rows))
		}
	}
}
