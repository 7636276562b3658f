package report

import (
	"context"
	"fmt"
	"slices"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// BlockCoverage is how the cities in a report's scope cover the six
// building blocks of the Key Features of Learning Cities: per city and
// block, the events held and stories published tagged with the block.
type BlockCoverage struct {
	Cities []CityBlocks
	// Active is, per block (in LearningAreas order), how many cities have
	// any event or story in it.
	Active []int
	// Max is the largest count of one city in one block.
	Max int64
}

// CityBlocks is one city's counts per block, in LearningAreas order.
type CityBlocks struct {
	City   models.City
	Counts []int64
}

// ThinBlocks are the blocks that fewer than a third of the cities in
// scope have any activity in: where the network is thin.
func (b *BlockCoverage) ThinBlocks() []models.LearningArea {
	var out []models.LearningArea
	for i, a := range models.LearningAreas() {
		if len(b.Cities) > 0 && b.Active[i]*3 < len(b.Cities) {
			out = append(out, a)
		}
	}
	return out
}

// BlockCoverage counts, for every city in the scope of q, the events held
// and stories published tagged with each building block, over the whole
// months of q's period (all time when open), from the monthly roll-ups.
func (e *Engine) BlockCoverage(ctx context.Context, q Query) (*BlockCoverage, error) {
	cities, err := e.scopeCities(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("block coverage: %w", err)
	}
	areas := models.LearningAreas()
	out := &BlockCoverage{Active: make([]int, len(areas))}
	index := make(map[uint]int, len(cities))
	for i, c := range cities {
		index[c.ID] = i
		out.Cities = append(out.Cities, CityBlocks{City: c, Counts: make([]int64, len(areas))})
	}
	w := q.monthCond(q.placeCond("city_id")).add("dim = ?", models.DimArea)
	var (
		id  uint
		key string
		n   int64
	)
	err = e.scan(ctx, "SELECT city_id, dkey, CAST(SUM(events_held + stories_published) AS BIGINT) FROM ru_dim WHERE "+w.sql()+" GROUP BY city_id, dkey", w.args,
		func([]any) error {
			i, ok := index[id]
			a := slices.Index(areas, models.LearningArea(key))
			if ok && a >= 0 {
				out.Cities[i].Counts[a] = n
				out.Max = max(out.Max, n)
			}
			return nil
		}, &id, &key, &n)
	if err != nil {
		return nil, fmt.Errorf("block coverage: %w", err)
	}
	for _, c := range out.Cities {
		for a, n := range c.Counts {
			if n > 0 {
				out.Active[a]++
			}
		}
	}
	return out, nil
}
