package views

import (
	"context"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CohortImportPage is the data of the cohort import: the form, then the
// preview of a file.
type CohortImportPage struct {
	// FileError is a validation code about the file itself.
	FileError string
	// Plan is the preview of a file read; nil before one is sent.
	Plan *models.CohortPlan
	// Rows are the file's rows as JSON, for the confirm form; empty when
	// the file has problems.
	Rows string
}

// cohortSample is an example of a cohort file.
const cohortSample = "name,country,joined_year,co_lead,latitude,longitude,time_zone\nAgadir,MA,2024,yes,30.42,-9.6,Africa/Casablanca"

// cohortFieldLabel names a cohort file's column.
func cohortFieldLabel(ctx context.Context, field string) string {
	switch field {
	case "name":
		return T(ctx, "city.name")
	case "slug":
		return T(ctx, "city.slug")
	case "country":
		return T(ctx, "city.country_code")
	case "joined_year":
		return T(ctx, "city.joined_year")
	case "co_lead":
		return T(ctx, "cohort.co_lead")
	case "time_zone":
		return T(ctx, "city.time_zone")
	}
	return T(ctx, "cohort.coordinates")
}

// cohortProblem says what is wrong with a line's field.
func cohortProblem(ctx context.Context, p models.RowProblem) string {
	return fieldError(ctx, models.FieldErrors{p.Column: {Code: p.Code, Param: p.Param}}, p.Column)
}
