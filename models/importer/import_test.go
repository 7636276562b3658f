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
	plan, err := importer.Plan(ctx, f.Store, models.ImportEvents, f.Agadir, readSheet(t, csv), models.ImportVocabulary{}, now, models.ImportChoices{})
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
	if _, err := importer.Import(ctx, f.Store, actor, up, f.Agadir, models.ImportVocabulary{}, now, models.ImportChoices{}, nil); !errors.Is(err, models.ErrImportRefused) {
		t.Fatalf("unknown partners not to be created: err = %v, want ErrImportRefused", err)
	}
	plan, err := importer.Import(ctx, f.Store, actor, up, f.Agadir, models.ImportVocabulary{}, now, models.ImportChoices{CreatePartners: true},
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

	// The same file again changes nothing: no row is an update.
	same, err := importer.Plan(ctx, f.Store, models.ImportEvents, f.Agadir, readSheet(t, file("120", "New Club")), models.ImportVocabulary{}, now,
		models.ImportChoices{})
	must(t, err)
	if same.Creates != 0 || same.Updates != 0 || same.Unchanged != 2 || len(same.Rows) != 0 {
		t.Errorf("the same file again: %+v", same)
	}

	up = upload(t, f, models.ImportEvents, file("80", "Agadir Library"))
	plan, err = importer.Import(ctx, f.Store, actor, up, f.Agadir, models.ImportVocabulary{}, now, models.ImportChoices{}, nil)
	must(t, err)
	if plan.Creates != 0 || plan.Updates != 2 {
		t.Errorf("second import: %d created, %d updated", plan.Creates, plan.Updates)
	}
	var changes []string
	for _, r := range plan.Rows {
		changes = append(changes, fmt.Sprint(r.Line, r.Changed))
	}
	if want := []string{"2 [participants age_participants]", "3 [partners]"}; !slices.Equal(changes, want) {
		t.Errorf("changes %q, want %q", changes, want)
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
		models.ImportVocabulary{}, time.Now(), models.ImportChoices{}, nil)
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

// TestPlanPartnersWithChoices plans a partners file with the preview's
// choices: a sector the tracker does not know is mapped for every row
// that writes it, a row left out is listed but neither counted nor
// checked, and a row that matches its partner field for field is
// unchanged. Choices the file does not offer are ErrImportChoices.
func TestPlanPartnersWithChoices(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	csv := "name,sector,active\n" +
		"Agadir Library,cultural,yes\n" +
		"Souss Club,associatif,yes\n" +
		"Dunes School,Associatif,no\n" +
		"Broken,nonsense,maybe\n"
	sheet := readSheet(t, csv)
	plan, err := importer.Plan(ctx, f.Store, models.ImportPartners, f.Agadir, sheet, models.ImportVocabulary{}, time.Now(), models.ImportChoices{})
	must(t, err)
	var unknown []string
	for _, u := range plan.Unknown {
		unknown = append(unknown, fmt.Sprintf("%s %s %q %d", u.Column, u.Value, u.Typed, u.Rows))
	}
	if want := []string{`sector associatif "associatif" 2`, `sector nonsense "nonsense" 1`, `active maybe "maybe" 1`}; !slices.Equal(unknown, want) {
		t.Errorf("unknown %q, want %q", unknown, want)
	}
	if plan.Unchanged != 1 || plan.Creates != 0 || plan.Updates != 0 {
		t.Errorf("plan %+v", plan)
	}

	var choices models.ImportChoices
	choices.Map("sector", "Associatif", "civil-society")
	choices.Skip = map[int]bool{5: true}
	plan, err = importer.Plan(ctx, f.Store, models.ImportPartners, f.Agadir, sheet, models.ImportVocabulary{}, time.Now(), choices)
	must(t, err)
	if len(plan.Problems) != 0 || plan.Creates != 2 || plan.Updates != 0 || plan.Unchanged != 1 || plan.Skipped != 1 {
		t.Fatalf("plan with choices %+v", plan)
	}
	if len(plan.Unknown) != 1 || plan.Unknown[0].To != "civil-society" || plan.Unknown[0].Rows != 2 {
		t.Errorf("unknown with choices %+v", plan.Unknown)
	}
	var listed []string
	for _, r := range plan.Rows {
		listed = append(listed, fmt.Sprintf("%d %s %s %v", r.Line, r.Partner.Name, r.Partner.Sector, r.Skipped))
	}
	if want := []string{"3 Souss Club civil-society false", "4 Dunes School civil-society false", "5 Broken nonsense true"}; !slices.Equal(listed, want) {
		t.Errorf("rows %q, want %q", listed, want)
	}

	for name, bad := range map[string]models.ImportChoices{
		"a sector not one":           {Mapping: map[string]map[string]string{"sector": {"associatif": "charity"}}},
		"a column of the other kind": {Mapping: map[string]map[string]string{"status": {"x": "held"}}},
		"a line the file lacks":      {Skip: map[int]bool{6: true}},
		"the heading's line":         {Skip: map[int]bool{1: true}},
	} {
		if _, err := importer.Plan(ctx, f.Store, models.ImportPartners, f.Agadir, sheet, models.ImportVocabulary{}, time.Now(), bad); !errors.Is(err, models.ErrImportChoices) {
			t.Errorf("%s: err = %v, want ErrImportChoices", name, err)
		}
	}

	// Written: the rows left out and unchanged are not.
	up := upload(t, f, models.ImportPartners, csv)
	plan, err = importer.Import(ctx, f.Store, f.AgadirCoo.Actor(), up, f.Agadir, models.ImportVocabulary{}, time.Now(), choices, nil)
	must(t, err)
	if plan.Creates != 2 || plan.Updates != 0 || plan.Unchanged != 1 || plan.Skipped != 1 {
		t.Errorf("import %+v", plan)
	}
	partners, err := f.Store.CityPartners(ctx, f.Agadir.ID)
	must(t, err)
	var names []string
	for _, p := range partners {
		names = append(names, fmt.Sprintf("%s %s %v", p.Name, p.Sector, p.Active))
	}
	if want := []string{"Agadir Library cultural true", "Dunes School civil-society false", "Souss Club civil-society true"}; !slices.Equal(names, want) {
		t.Errorf("partners %q, want %q", names, want)
	}
	done, err := f.Store.ConfirmedUpload(ctx, up.Token, f.Agadir.ID)
	must(t, err)
	if done.CreatedRows != 2 || done.UpdatedRows != 0 {
		t.Errorf("upload %+v", done)
	}
}
