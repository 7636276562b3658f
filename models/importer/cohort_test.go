package importer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestImportCohortIsAllOrNothing(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	before, err := f.Store.Cities(ctx, models.CityFilter{})
	must(t, err)
	rows := []models.CohortRow{
		{Line: 2, City: models.City{Name: "Ok Town", Country: "FR", JoinedYear: 2024}},
		{Line: 3, City: models.City{Name: "Bad Town", Country: "FR", JoinedYear: 1800}},
	}
	plan, err := importer.ImportCohort(ctx, f.Store, models.CLIActor(), rows)
	if !errors.Is(err, models.ErrImportRefused) {
		t.Fatalf("err = %v, want ErrImportRefused", err)
	}
	if len(plan.Problems) != 1 || plan.Problems[0].Line != 3 || plan.Problems[0].Column != "joined_year" {
		t.Errorf("problems = %+v", plan.Problems)
	}
	after, err := f.Store.Cities(ctx, models.CityFilter{})
	must(t, err)
	if len(after) != len(before) {
		t.Error("a cohort with a bad line wrote cities")
	}
}

// TestCohortPlansAsACityImport reads and plans a cohort file: the
// problems of values that cannot be read come first, then those of the
// cities, each by line and column; the plan counts the cities it creates
// and updates, matched by slug, and the import writes them.
func TestCohortPlansAsACityImport(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	file, err := (*importer.Gate)(nil).ReadCohort(context.Background(), []byte("City;Country;Joined year;Co-lead;Coordinates\n"+
		"Agadir;MA;2024;yes;30.42, -9.6\n"+
		"Dakar;SN;2024;no;14.69, -17.44\n"+
		"Nowhere;ZZ;2024;no;\n"+
		"Maybe;FR;2024;perhaps;\n"+
		"dakar;SN;2025;no;\n"))
	must(t, err)
	plan, err := importer.PlanCohort(ctx, f.Store, file)
	must(t, err)
	var got []string
	for _, p := range plan.Problems {
		got = append(got, fmt.Sprintf("%d %s %s %s", p.Line, p.Column, p.Code, p.Param))
	}
	want := []string{"5 co_lead boolean ", "4 country country ", "6 slug duplicate_line 3"}
	if !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if plan.Kind != models.ImportCohort || plan.Creates != 1 || plan.Updates != 1 || plan.Update[0].City.ID != f.Agadir.ID {
		t.Errorf("plan %+v", plan)
	}
	plan, err = importer.ImportCohort(ctx, f.Store, models.CLIActor(), file.Rows[:2])
	must(t, err)
	dakar, err := f.Store.CityBySlug(ctx, "dakar")
	must(t, err)
	if plan.Creates != 1 || dakar.Region != models.RegionAfrica || dakar.Latitude == nil || *dakar.Latitude != 14.69 {
		t.Errorf("plan %+v, Dakar %+v", plan, dakar)
	}
}

// TestReadCohortRefusesFilesWhole names what is wrong with a file that is
// not a cohort at all, by a validation code of the file.
func TestReadCohortRefusesFilesWhole(t *testing.T) {
	for data, code := range map[string]string{
		"PK\x03\x04 not really a workbook":              "file_format",
		"name,country\nX,FR\n":                          "file_columns",
		"name,country,joined_year,mayor\nX,FR,2024,Y\n": "file_columns",
		"":                           "file_empty",
		"name,country,joined_year\n": "file_empty",
		"name,country,joined_year\nLi\xe8ge,BE,2024\n": "sheet_encoding",
	} {
		_, err := (*importer.Gate)(nil).ReadCohort(context.Background(), []byte(data))
		if se, ok := importer.AsSheetError(err); !ok || se.Code != code {
			t.Errorf("%q: err = %v, want %s", data, err, code)
		}
	}
}
