package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/unesco-gnlc/learnthroughlife/models"

	// The time zone database goes into the binary, so a host without one
	// still knows every city's zone.
	_ "time/tzdata"
)

// Cities lists the cities that match f, by name.
func (s *Store) Cities(ctx context.Context, f models.CityFilter) ([]models.City, error) {
	all := f.Region == "" && strings.TrimSpace(f.Query) == "" && f.Country == "" && f.Cohort == 0 && f.ID == 0
	var version int64
	if all && s.cities != nil {
		// Every city: from the cache while no city has changed, which
		// every change of a city marks as a change of "city 0".
		if err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(v), 0) FROM city_versions WHERE city_id = 0").Row().Scan(&version); err != nil {
			return nil, fmt.Errorf("list cities: %w", err)
		}
		if cities, ok := s.cities.get(version); ok {
			return cities, nil
		}
	}
	q := s.db.WithContext(ctx).Model(&models.City{})
	if f.Region != "" {
		q = q.Where("region = ?", f.Region)
	}
	if f.Country != "" {
		q = q.Where("country = ?", f.Country)
	}
	if f.Cohort != 0 {
		q = q.Where("joined_year = ?", f.Cohort)
	}
	if f.ID != 0 {
		q = q.Where("id = ?", f.ID)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		like := "%" + escapeLike(strings.ToLower(query)) + "%"
		cond := s.db.Where("LOWER(name) LIKE ? ESCAPE '\\'", like).Or("country = ?", strings.ToUpper(query))
		if slug := models.Slugify(query); slug != "" {
			// "agádir" finds Agadir too.
			cond = cond.Or("slug LIKE ? ESCAPE '\\'", "%"+escapeLike(slug)+"%")
		}
		if len(f.Countries) > 0 {
			cond = cond.Or("country IN ?", f.Countries)
		}
		if folded := models.FoldSearch(query); folded != "" {
			// Its names in other languages and scripts: "فاس", "fes".
			cond = cond.Or("EXISTS (SELECT 1 FROM city_names n WHERE n.city_id = cities.id AND n.folded LIKE ? ESCAPE '\\')", "%"+escapeLike(folded)+"%")
		}
		q = q.Where(cond)
	}
	var cities []models.City
	if err := q.Order("name, id").Find(&cities).Error; err != nil {
		return nil, fmt.Errorf("list cities: %w", err)
	}
	if err := s.loadCityNames(ctx, cities, all); err != nil {
		return nil, err
	}
	if all && s.cities != nil {
		s.cities.put(version, cities)
	}
	return cities, nil
}

// cityCache is the list of every city at a version of city 0.
type cityCache struct {
	mu      sync.Mutex
	version int64
	cities  []models.City
}

// get returns a copy of the list if it was read at version.
func (c *cityCache) get(version int64) ([]models.City, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cities == nil || c.version != version {
		return nil, false
	}
	return slices.Clone(c.cities), true
}

// put keeps a copy of the list read at version.
func (c *cityCache) put(version int64, cities []models.City) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.cities = version, slices.Clone(cities)
}

// escapeLike escapes the LIKE wildcards in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// loadCityNames fills the cities' Names, by language; all says they are
// every city.
func (s *Store) loadCityNames(ctx context.Context, cities []models.City, all bool) error {
	if len(cities) == 0 {
		return nil
	}
	q := s.db.WithContext(ctx).Table("city_names").Select("city_id, lang, name").Order("city_id, lang")
	if !all {
		ids := make([]uint, len(cities))
		for i, c := range cities {
			ids[i] = c.ID
		}
		q = q.Where("city_id IN ?", ids)
	}
	var rows []struct {
		CityID     uint
		Lang, Name string
	}
	if err := q.Scan(&rows).Error; err != nil {
		return fmt.Errorf("city names: %w", err)
	}
	byID := make(map[uint]int, len(cities))
	for i := range cities {
		byID[cities[i].ID] = i
		cities[i].Names = []models.CityName{}
	}
	for _, r := range rows {
		if i, ok := byID[r.CityID]; ok {
			cities[i].Names = append(cities[i].Names, models.CityName{Lang: r.Lang, Name: r.Name})
		}
	}
	return nil
}

// writeCityNames replaces the city's names in other languages with
// c.Names; nil leaves them as they are.
func (s *Store) writeCityNames(c *models.City) error {
	if c.Names == nil {
		return nil
	}
	if err := s.db.Exec("DELETE FROM city_names WHERE city_id = ?", c.ID).Error; err != nil {
		return fmt.Errorf("city names: %w", err)
	}
	for _, n := range c.Names {
		if err := s.db.Exec("INSERT INTO city_names (city_id, lang, name, folded) VALUES (?, ?, ?, ?)",
			c.ID, n.Lang, n.Name, models.FoldSearch(n.Name)).Error; err != nil {
			return fmt.Errorf("city names: %w", err)
		}
	}
	return nil
}

// City returns the city with id.
func (s *Store) City(ctx context.Context, id uint) (*models.City, error) {
	var c models.City
	if err := s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, translate(err)
	}
	cities := []models.City{c}
	if err := s.loadCityNames(ctx, cities, false); err != nil {
		return nil, err
	}
	return &cities[0], nil
}

// CityBySlug returns the city with slug.
func (s *Store) CityBySlug(ctx context.Context, slug string) (*models.City, error) {
	var c models.City
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).First(&c).Error; err != nil {
		return nil, translate(err)
	}
	cities := []models.City{c}
	if err := s.loadCityNames(ctx, cities, false); err != nil {
		return nil, err
	}
	return &cities[0], nil
}

// HasCities reports whether any city is stored. It counts in the
// database, never from the cities cache, which a bulk load bypasses.
func (s *Store) HasCities(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&models.City{}).Count(&n).Error; err != nil {
		return false, err
	}
	return n > 0, nil
}

// CitiesByID returns the cities with the given ids, by name.
func (s *Store) CitiesByID(ctx context.Context, ids []uint) ([]models.City, error) {
	var cities []models.City
	if len(ids) == 0 {
		return cities, nil
	}
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("name").Find(&cities).Error
	return cities, err
}

// CreateCity stores a new city and the coordinators assigned to it.
func (s *Store) CreateCity(ctx context.Context, actor models.Actor, c *models.City, coordinatorIDs []uint) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(c).Error; err != nil {
			if translate(err) == models.ErrDuplicate {
				return models.FieldErrors{"name": {Code: "taken"}}
			}
			return fmt.Errorf("create city: %w", err)
		}
		if err := tx.setCityCoordinators(c.ID, coordinatorIDs); err != nil {
			return err
		}
		if err := tx.writeCityNames(c); err != nil {
			return err
		}
		if err := tx.rollups().BumpDataVersion(); err != nil {
			return err
		}
		return tx.audit(actor, models.AuditCreate, models.EntityCity, c.ID, &c.ID, c.Name)
	})
}

// UpdateCity saves c's fields and replaces its coordinators.
func (s *Store) UpdateCity(ctx context.Context, actor models.Actor, c *models.City, coordinatorIDs []uint) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var old models.City
		if err := tx.db.First(&old, c.ID).Error; err != nil {
			return translate(err)
		}
		res := tx.db.Model(&models.City{ID: c.ID}).Select("name", "slug", "country", "region", "joined_year", "co_lead", "time_zone", "latitude", "longitude", "updated_at").Updates(c)
		if res.Error != nil {
			if translate(res.Error) == models.ErrDuplicate {
				return models.FieldErrors{"slug": {Code: "taken"}}
			}
			return fmt.Errorf("update city: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if err := tx.setCityCoordinators(c.ID, coordinatorIDs); err != nil {
			return err
		}
		if err := tx.writeCityNames(c); err != nil {
			return err
		}
		if err := tx.rollups().BumpDataVersion(); err != nil {
			return err
		}
		if old.Region != c.Region {
			// The regional roll-ups hold the city's figures under its region.
			if err := tx.rollups().RefreshRegions(old.Region, c.Region); err != nil {
				return err
			}
			if err := tx.rollups().MoveCityDays(c.ID, old.Region, c.Region); err != nil {
				return err
			}
		}
		return tx.audit(actor, models.AuditUpdate, models.EntityCity, c.ID, &c.ID, c.Name)
	})
}

// setCityCoordinators makes exactly the given users the city's coordinators.
// Ids that are not coordinators are refused.
func (s *Store) setCityCoordinators(cityID uint, userIDs []uint) error {
	if len(userIDs) > 0 {
		var n int64
		if err := s.db.Model(&models.User{}).Where("id IN ? AND role = ?", userIDs, models.RoleCoordinator).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(models.Unique(userIDs)) {
			return models.FieldErrors{"coordinators": {Code: "oneof"}}
		}
	}
	if err := s.db.Exec("DELETE FROM user_cities WHERE city_id = ?", cityID).Error; err != nil {
		return err
	}
	for _, id := range models.Unique(userIDs) {
		if err := s.db.Exec("INSERT INTO user_cities (user_id, city_id) VALUES (?, ?)", id, cityID).Error; err != nil {
			return err
		}
	}
	return nil
}

// CityCoordinatorIDs returns the ids of the city's coordinators.
func (s *Store) CityCoordinatorIDs(ctx context.Context, cityID uint) ([]uint, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Raw("SELECT user_id FROM user_cities WHERE city_id = ? ORDER BY user_id", cityID).Scan(&ids).Error
	return ids, err
}
