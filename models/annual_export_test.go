package models

// ForgetReports empties the report cache, for benchmarks that time the
// engine itself through the cached entry points.
func (s *Store) ForgetReports() { s.reports = newReportCache(256) }
