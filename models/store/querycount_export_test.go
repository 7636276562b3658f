package store

import (
	"context"
	"sync/atomic"
	"time"

	"gorm.io/gorm/logger"
)

// queryCounter is a GORM logger that counts the statements run.
type queryCounter struct {
	logger.Interface
	n atomic.Int64
}

func (q *queryCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	q.n.Add(1)
}

// CountQueries counts from now on every statement the store runs, and
// returns how many it has run since.
func (s *Store) CountQueries() func() int64 {
	c := &queryCounter{Interface: logger.Discard}
	s.db.Logger = c
	return c.n.Load
}
