package store

import (
	"context"
	"fmt"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// WriteCohort writes a checked cohort (package importer plans it) in one
// transaction: it creates the cities of create and updates those of
// update (their City.ID is the existing city's), each audited, with their
// coordinates. An update keeps the city's coordinators. A failure names
// the row's line and writes nothing.
func (s *Store) WriteCohort(ctx context.Context, actor models.Actor, create, update []models.CohortRow) error {
	return s.Tx(ctx, func(tx *Store) error {
		for i := range create {
			c := &create[i].City
			if err := tx.CreateCity(ctx, actor, c, nil); err != nil {
				return fmt.Errorf("line %d: %w", create[i].Line, err)
			}
			if err := tx.setPoint(c); err != nil {
				return err
			}
		}
		for i := range update {
			c := &update[i].City
			coordinators, err := tx.CityCoordinatorIDs(ctx, c.ID)
			if err != nil {
				return err
			}
			if err := tx.UpdateCity(ctx, actor, c, coordinators); err != nil {
				return fmt.Errorf("line %d: %w", update[i].Line, err)
			}
			if err := tx.setPoint(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// setPoint writes a city's coordinates, which UpdateCity leaves alone.
func (s *Store) setPoint(c *models.City) error {
	return s.db.Model(&models.City{ID: c.ID}).Select("latitude", "longitude").Updates(c).Error
}
