package importer

import (
	"slices"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Every heading a cohort file may use names one of the cohort's columns,
// and every column may be headed by its own name.
func TestCohortHeadingsNameItsColumns(t *testing.T) {
	cols := models.ImportCohort.Columns()
	for heading, col := range cohortColumns {
		if !slices.Contains(cols, col) {
			t.Errorf("heading %q names %q, not a column of a cohort", heading, col)
		}
	}
	for _, col := range cols {
		if cohortColumns[col] != col {
			t.Errorf("column %q cannot be headed by its own name", col)
		}
	}
}
