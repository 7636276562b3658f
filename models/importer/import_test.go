package importer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readSheet reads a CSV text as an uploaded file.
func readSheet(t *testing.T, csv string) *importer.Sheet {
	t.Helper()
	sheet, err := importer.ReadSheet(context.Background(), []byte(csv))
	must(t, err)
	return sheet
}

// upload keeps data as the Agadir coordinator's claimed upload of kind.
func upload(t *testing.T, f *storetest.Fixture, kind models.ImportKind, data string) *models.Upload {
	t.Helper()
	ctx := context.Background()
	up := &models.Upload{UserID: f.AgadirCoo.ID, CityID: f.Agadir.ID, Kind: string(kind), Name: "file.csv", Data: []byte(data)}
	_, err := f.Store.SaveUpload(ctx, up)
	must(t, err)
	must(t, f.Store.ClaimUpload(ctx, up, "test"))
	return up
}

// wantRollupsRebuilt fails the test unless the roll-ups the writes kept
// are those a rebuild from the raw tables makes.
func wantRollupsRebuilt(t *testing.T, s *store.Store) {
	t.Helper()
	kept := storetest.RollupDump(t, s)
	must(t, s.RebuildRollups(context.Background()))
	if rebuilt := storetest.RollupDump(t, s); kept != rebuilt {
		t.Errorf("the import's roll-ups differ from a rebuild\nkept:\n%s\nrebuilt:\n%s", kept, rebuilt)
	}
}

// TestPlanNamesEveryProblemByLineAndColumn plans an events file with a
// problem of each kind, writing nothing: each is named by its line and
// column, in the order of the columns, and the unknown partners are
// listed even on a row with problems.
func TestPlanNamesEveryProblemByLineAndColumn(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	csv := "external_ref,title,starts_at,ends_at,participants,learning_areas,partners,campaign\n" +
		"R1,Opening,2025-03-10 10:00,2025-03-10 12:00,120,families-communities,Agadir Library,\n" +
		"R1,Again,2025-03-11 10:00,,,families-communities,,\n" +
		"R3,,tomorrow,,,families-communities,,\n" +
		"R4,Talk,2025-03-12 10:00,,many,families-communities,New Club; agadir library,#nope\n" +
		",Opening,2025-03-10 10:00,,,families-communities,,\n"
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	plan, err := importer.Plan(ctx, f.Store, models.ImportEvents, f.Agadir, readSheet(t, csv), models.ImportVocabulary{}, now)
	must(t, err)
	var got []string
	for _, p := range plan.Problems {
		got = append(got, fmt.Sprintf("%d %s %s %s", p.Line, p.Column, p.Code, p.Param))
	}
	want := []string{
		"3 external_ref duplicate_row 2",
		"4 title required ",
		"4 starts_at date_unreadable tomorrow",
		"5 participants number ",
		"5 campaign oneof ",
		"6 title duplicate_row 2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%q\nwant\n%q", got, want)
	}
	if plan.Kind != models.ImportEvents || plan.Creates != 1 || plan.Updates != 0 || !slices.Equal(plan.NewPartners, []string{"New Club"}) {
		t.Errorf("plan %+v", plan)
	}
	if !errors.Is(plan.Confirm(true), models.ErrImportRefused) {
		t.Error("a plan with problems confirms")
	}
	events, err := f.Store.CityEvents(ctx, f.Agadir.ID)
	must(t, err)
	if len(events) != 0 {
		t.Errorf("planning wrote %d events", len(events))
	}
}

// TestImportEventsCreatesThenUpdates imports an events file, creating its
// unknown partner, then the same file changed, which updates the events
// it created by their references: the roll-ups stay those of a rebuild,
// and the upload keeps the counts.
func TestImportEventsCreatesThenUpdates(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	now := time.Now()
	actor := f.AgadirCoo.Actor()
	file := func(participants, partners string) string {
		return "external_ref,title,starts_at,participants,learning_areas,age_groups,partners\n" +
			"R1,Opening,2025-03-10 10:00," + participants + ",families-communities,adults,Agadir Library\n" +
			"R2,Talk,2025-03-12 10:00,,workplace,," + partners + "\n"
	}
	var steps []models.ImportProgress
	up := upload(t, f, models.ImportEvents, file("120", "New Club"))
	if _, err := importer.Import(ctx, f.Store, actor, up, f.Agadir, models.ImportVocabulary{}, now, false, nil); !errors.Is(err, models.ErrImportRefused) {
		t.Fatalf("unknown partners not to be created: err = %v, want ErrImportRefused", err)
	}
	plan, err := importer.Import(ctx, f.Store, actor, up, f.Agadir, models.ImportVocabulary{}, now, true,
		func(p models.ImportProgress) { steps = append(steps, p) })
	must(t, err)
	if plan.Creates != 2 || plan.Updates != 0 {
		t.Errorf("first import: %d created, %d updated", plan.Creates, plan.Updates)
	}
	if len(steps) < 3 || steps[0].Phase != models.ImportChecking || steps[len(steps)-1].Phase != models.ImportRefreshing {
		t.Errorf("progress %+v", steps)
	}
	wantRollupsRebuilt(t, f.Store)
	partners, err := f.Store.CityPartners(ctx, f.Agadir.ID)
	must(t, err)
	if len(partners) != 2 || partners[1].Name != "New Club" || partners[1].Sector != models.SectorOtherSector {
		t.Errorf("partners %+v", partners)
	}
	done, err := f.Store.ConfirmedUpload(ctx, up.Token, f.Agadir.ID)
	must(t, err)
	if done.State != models.UploadDone || done.CreatedRows != 2 || done.UpdatedRows != 0 {
		t.Errorf("upload %+v", done)
	}

	up = upload(t, f, models.ImportEvents, file("80", "Agadir Library"))
	plan, err = importer.Import(ctx, f.Store, actor, up, f.Agadir, models.ImportVocabulary{}, now, false, nil)
	must(t, err)
	if plan.Creates != 0 || plan.Updates != 2 {
		t.Errorf("second import: %d created, %d updated", plan.Creates, plan.Updates)
	}
	wantRollupsRebuilt(t, f.Store)
	events, err := f.Store.CityEvents(ctx, f.Agadir.ID)
	must(t, err)
	if len(events) != 2 || *events[0].Participants != 80 || !slices.Equal(events[1].PartnerIDs, []uint{f.AgadirPartner.ID}) {
		t.Errorf("events after the update %+v", events)
	}
}

// TestImportPartnersMovesSectors imports a partners file that updates a
// partner's sector and adds one: the partner's events move with it in
// the roll-ups.
func TestImportPartnersMovesSectors(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), f.ValidEvent()))
	csv := "name,sector,active\nagadir library,education,yes\nSouss Club,civil-society,no\n"
	plan, err := importer.Import(ctx, f.Store, f.AgadirCoo.Actor(), upload(t, f, models.ImportPartners, csv), f.Agadir,
		models.ImportVocabulary{}, time.Now(), false, nil)
	must(t, err)
	if plan.Kind != models.ImportPartners || plan.Creates != 1 || plan.Updates != 1 {
		t.Errorf("plan %+v", plan)
	}
	p, err := f.Store.Partner(ctx, f.AgadirPartner.ID)
	must(t, err)
	if p.Sector != models.SectorEducation || p.Name != "agadir library" {
		t.Errorf("updated partner %+v", p)
	}
	wantRollupsRebuilt(t, f.Store)
}
