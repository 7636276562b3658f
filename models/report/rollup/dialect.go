package rollup

import "fmt"

// Dialect is a database engine, and the SQL that differs between them.
type Dialect string

// The engines the tracker runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Month turns a timestamp column into yyyymm, in UTC. SQLite keeps
// timestamps as text that starts with the UTC date: the driver writes a
// time with its own offset, so every write passes UTC (Event.Validate;
// migration 29 rewrote the rows written before).
func (d Dialect) Month(col string) string {
	if d == Postgres {
		return fmt.Sprintf("(CAST(EXTRACT(YEAR FROM %[1]s) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM %[1]s) AS INTEGER))", col)
	}
	return fmt.Sprintf("(CAST(substr(%[1]s, 1, 4) AS INTEGER) * 100 + CAST(substr(%[1]s, 6, 2) AS INTEGER))", col)
}

// Year turns a timestamp column into yyyy, in UTC.
func (d Dialect) Year(col string) string {
	if d == Postgres {
		return fmt.Sprintf("CAST(EXTRACT(YEAR FROM %s) AS INTEGER)", col)
	}
	return fmt.Sprintf("CAST(substr(%s, 1, 4) AS INTEGER)", col)
}

// Day turns a timestamp column into yyyymmdd, in UTC.
func (d Dialect) Day(col string) string {
	return fmt.Sprintf("(%s * 100 + %s)", d.Month(col), d.DayOfMonth(col))
}

// DayOfMonth turns a timestamp column into its day of the month, in UTC.
func (d Dialect) DayOfMonth(col string) string {
	if d == Postgres {
		return fmt.Sprintf("CAST(EXTRACT(DAY FROM %s) AS INTEGER)", col)
	}
	return fmt.Sprintf("CAST(substr(%s, 9, 2) AS INTEGER)", col)
}
