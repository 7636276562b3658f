package importer

// Importing a cohort: the network's member cities, from a table that
// staff upload. It is planned and confirmed as a city's import is: a plan
// that writes nothing and names every problem by line and column, then
// the same rows planned again and written all or nothing by the store.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// The limits of a cohort file: the network admits tens of cities a year,
// not thousands.
const (
	// MaxCohortBytes is how much of a cohort file is read.
	MaxCohortBytes = 1 << 20
	// MaxCohortRows is the most rows a cohort file, or its confirmation,
	// may have.
	MaxCohortRows = 2000
)

// cohortColumns maps the headings a cohort file may use, lower case with
// "_" for spaces and hyphens, to its columns (models.ImportCohort's).
var cohortColumns = map[string]string{
	"name": "name", "city": "name",
	"slug":    "slug",
	"country": "country", "country_code": "country",
	"joined_year": "joined_year", "joined": "joined_year", "year_joined": "joined_year",
	"co_lead": "co_lead", "colead": "co_lead",
	"latitude": "latitude", "lat": "latitude",
	"longitude": "longitude", "lon": "longitude", "lng": "longitude",
	"coordinates": "coordinates",
	"time_zone":   "time_zone", "timezone": "time_zone", "tz": "time_zone",
}

// CohortFile is a cohort file as read: the rows whose values could be
// read, and the problems of the lines whose values could not.
type CohortFile struct {
	Rows     []models.CohortRow
	Problems []models.RowProblem
}

// ReadCohort reads a cohort file, CSV or XLSX (ReadSheet: a byte-order
// mark, semicolons, merged cells and formulas as in a city's import). A
// problem with the file itself is a *SheetError whose Code is a
// validation code: sheet_encoding, sheet_utf16, file_empty, file_rows,
// file_columns (a heading it does not know, or a required column missing)
// or file_format; or Busy when the gate lets no more files be read.
func (g *Gate) ReadCohort(ctx context.Context, data []byte) (*CohortFile, error) {
	sheet, err := g.ReadSheet(ctx, data)
	if err != nil {
		se, _ := AsSheetError(err)
		switch {
		case se != nil && (se.Code == "sheet_encoding" || se.Code == "sheet_utf16" || se.Code == Busy):
			return nil, se
		case se != nil && (se.Code == "sheet_columns" || se.Code == "sheet_cells" || se.Code == "sheet_strings" || se.Code == "sheet_unpacked" || se.Code == "sheet_slow"):
			// A file far larger than a cohort's.
			return nil, &SheetError{Code: "file_rows"}
		case se != nil && se.Code == "sheet_empty":
			return nil, &SheetError{Code: "file_empty"}
		case se != nil && (se.Code == "sheet_rows" || se.Code == "sheet_size"):
			return nil, &SheetError{Code: "file_rows"}
		}
		return nil, &SheetError{Code: "file_format"}
	}
	cols := map[string]int{}
	for i, h := range sheet.Header {
		key := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		field, ok := cohortColumns[key]
		if !ok {
			if key == "" {
				continue
			}
			return nil, &SheetError{Code: "file_columns"}
		}
		cols[field] = i
	}
	for _, need := range models.ImportCohort.Required() {
		if _, ok := cols[need]; !ok {
			return nil, &SheetError{Code: "file_columns"}
		}
	}
	if len(sheet.Rows) > MaxCohortRows {
		return nil, &SheetError{Code: "file_rows"}
	}
	f := &CohortFile{}
	for _, rec := range sheet.Rows {
		row, problems := cohortRow(rec, cols)
		if len(problems) > 0 {
			f.Problems = append(f.Problems, problems...)
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	if len(f.Rows) == 0 && len(f.Problems) == 0 {
		return nil, &SheetError{Code: "file_empty"}
	}
	return f, nil
}

// SkipExamples leaves out of f the lines of a template's example (a
// cell says "EXAMPLE – this row is skipped", in any language), with
// their problems, and returns how many it left out.
func (f *CohortFile) SkipExamples(vocab models.ImportVocabulary) int {
	skipped := map[int]bool{}
	f.Rows = slices.DeleteFunc(f.Rows, func(r models.CohortRow) bool {
		c := r.City
		if vocab.IsExample([]string{c.Name, c.Slug, c.Country, c.TimeZone}) {
			skipped[r.Line] = true
		}
		return skipped[r.Line]
	})
	f.Problems = slices.DeleteFunc(f.Problems, func(p models.RowProblem) bool { return skipped[p.Line] })
	return len(skipped)
}

// cohortRow reads a line of a cohort file into a city, with the problems
// of the values it cannot read: a year, a yes or no, coordinates.
func cohortRow(rec SheetRow, cols map[string]int) (models.CohortRow, []models.RowProblem) {
	var problems []models.RowProblem
	get := func(field string) string {
		if j, ok := cols[field]; ok {
			return rec.Cell(j)
		}
		return ""
	}
	bad := func(field, code string) {
		problems = append(problems, models.RowProblem{Line: rec.Line, Column: field, Code: code})
	}
	city := models.City{Name: get("name"), Slug: get("slug"), Country: get("country"), TimeZone: get("time_zone")}
	if y := get("joined_year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			bad("joined_year", "number")
		}
		city.JoinedYear = n
	}
	switch strings.ToLower(get("co_lead")) {
	case "", "no", "n", "false", "0", "non", "لا":
	case "yes", "y", "true", "1", "x", "oui", "sí", "si", "نعم":
		city.CoLead = true
	default:
		bad("co_lead", "boolean")
	}
	lat, lon := get("latitude"), get("longitude")
	if both := get("coordinates"); both != "" {
		lat, lon, _ = strings.Cut(both, ",")
	}
	if strings.TrimSpace(lat) != "" || strings.TrimSpace(lon) != "" {
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if err1 != nil || err2 != nil {
			bad("coordinates", "coordinates")
		} else {
			city.Latitude, city.Longitude = &la, &lo
		}
	}
	return models.CohortRow{Line: rec.Line, City: city}, problems
}

// PlanCohort checks a cohort file's rows and matches them with the cities
// by slug, writing nothing. The plan's problems are the file's own (f's),
// then those of its rows: a slug twice in the file is a problem of the
// second line. A row with no problem is created or, when a city has its
// slug, updated.
func PlanCohort(ctx context.Context, st *store.Store, f *CohortFile) (*models.CohortPlan, error) {
	plan := &models.CohortPlan{ImportPlan: models.ImportPlan{Kind: models.ImportCohort, Problems: slices.Clone(f.Problems)}}
	existing, err := st.Cities(ctx, models.CityFilter{})
	if err != nil {
		return nil, err
	}
	bySlug := make(map[string]models.City, len(existing))
	for _, c := range existing {
		bySlug[c.Slug] = c
	}
	seen := map[string]int{}
	for _, row := range f.Rows {
		// Only the fields a cohort file has: nothing else comes through.
		r := row.City
		c := models.City{Name: r.Name, Slug: r.Slug, Country: r.Country, JoinedYear: r.JoinedYear, CoLead: r.CoLead,
			TimeZone: r.TimeZone, Latitude: r.Latitude, Longitude: r.Longitude}
		if region, ok := models.CountryRegion(c.Country); ok {
			c.Region = region
		}
		fe := models.FieldErrors{}
		if err := c.Validate(); err != nil {
			var ok bool
			if fe, ok = models.AsFieldErrors(err); !ok {
				return nil, err
			}
		}
		// The region is not in the file: a problem with it is one of the
		// country.
		if _, bad := fe["region"]; bad {
			delete(fe, "region")
			fe.Add("country", "no_region", "")
		}
		if first, dup := seen[c.Slug]; dup && c.Slug != "" {
			fe["slug"] = models.Problem{Code: "duplicate_line", Param: fmt.Sprint(first)}
		}
		if len(fe) > 0 {
			for _, field := range slices.Sorted(maps.Keys(fe)) {
				plan.Problems = append(plan.Problems, models.RowProblem{Line: row.Line, Column: field, Code: fe[field].Code, Param: fe[field].Param})
			}
			continue
		}
		seen[c.Slug] = row.Line
		row.City = c
		if old, ok := bySlug[c.Slug]; ok {
			row.City.ID = old.ID
			plan.Update = append(plan.Update, row)
		} else {
			plan.Create = append(plan.Create, row)
		}
	}
	plan.Creates, plan.Updates = len(plan.Create), len(plan.Update)
	return plan, nil
}

// ImportCohort plans a cohort's rows again (as read from a file: no
// problems of their own) and, when the plan confirms, creates and updates
// the cities in one transaction, each audited; otherwise it writes
// nothing and returns the plan, with its problems, and ErrImportRefused.
// An update keeps the city's coordinators.
func ImportCohort(ctx context.Context, st *store.Store, actor models.Actor, rows []models.CohortRow) (*models.CohortPlan, error) {
	var plan *models.CohortPlan
	err := st.Tx(ctx, func(tx *store.Store) error {
		var err error
		if plan, err = PlanCohort(ctx, tx, &CohortFile{Rows: rows}); err != nil {
			return err
		}
		if err := plan.Confirm(false); err != nil {
			return err
		}
		return tx.WriteCohort(ctx, actor, plan.Create, plan.Update)
	})
	return plan, err
}
