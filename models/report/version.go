package report

import (
	"context"
)

// scopeVersion is the version of the data of q's scope: the highest
// version of its cities and of city 0.
func (e *Engine) scopeVersion(ctx context.Context, q Query) (int64, error) {
	place, args := q.placeCond("city_id")
	cond := "1=1" // the whole network: every city's version
	if place != "" {
		cond = "city_id = 0 OR " + place
	}
	var v int64
	err := e.scan(ctx, "SELECT COALESCE(MAX(v), 0) FROM city_versions WHERE "+cond, args, func([]any) error { return nil }, &v)
	return v, err
}
