package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	// The time zone database goes into the binary, so a host without one
	// still knows every city's zone.
	_ "time/tzdata"

	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// City is a member city of the Global Network of Learning Cities.
type City struct {
	ID         uint   `gorm:"primaryKey"`
	Name       string `field:"name" validate:"required,max=120"`
	Slug       string `field:"slug" validate:"required,max=120"`
	Country    string `field:"country" validate:"required,len=2"`
	Region     Region `field:"region" validate:"required"`
	JoinedYear int    `field:"joined_year" validate:"required"`
	CoLead     bool
	// TimeZone is the IANA name of the city's time zone ("Africa/Casablanca";
	// UTC when not given): its events are entered and shown in its local time.
	TimeZone string `field:"time_zone" validate:"max=64"`
	// Latitude and Longitude place the city on the map, in WGS 84 degrees;
	// both nil when not known.
	Latitude  *float64 `field:"latitude" validate:"omitempty,min=-90,max=90"`
	Longitude *float64 `field:"longitude" validate:"omitempty,min=-180,max=180"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Location is the city's time zone; UTC when it has none or an unknown one.
func (c *City) Location() *time.Location {
	if loc, err := LoadTimeZone(c.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// LoadTimeZone loads an IANA time zone by name ("Africa/Casablanca",
// "UTC"). It refuses "" and "Local", which name no place.
func LoadTimeZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return time.LoadLocation(name)
}

// Slugify turns a city name into its URL slug: lower-case ASCII letters and
// digits joined by hyphens ("Fès" → "fes", "Villa María" → "villa-maria").
func Slugify(name string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, _ := transform.String(t, name)
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(plain) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case r == 'ø':
			b.WriteRune('o')
			hyphen = false
		case b.Len() > 0 && !hyphen:
			b.WriteByte('-')
			hyphen = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// IsCountryCode reports whether code is an upper-case ISO 3166-1 alpha-2
// code of a country.
func IsCountryCode(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code
}

// ValidateCity checks the city's fields and its invariants.
func (s *Store) ValidateCity(c *City) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	c.TimeZone = strings.TrimSpace(c.TimeZone)
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	fe := s.check(c)
	if _, bad := fe["country"]; !bad && !IsCountryCode(c.Country) {
		fe.Add("country", "country", "")
	}
	if _, bad := fe["region"]; !bad && !c.Region.Valid() {
		fe.Add("region", "oneof", "")
	}
	if c.JoinedYear < FirstNetworkYear {
		fe.Add("joined_year", "min", strconv.Itoa(FirstNetworkYear))
	}
	if c.JoinedYear > LastYear {
		fe.Add("joined_year", "max", strconv.Itoa(LastYear))
	}
	if c.Slug != Slugify(c.Slug) {
		fe.Add("slug", "slug", "")
	}
	if _, bad := fe["time_zone"]; !bad {
		if _, err := LoadTimeZone(c.TimeZone); err != nil {
			fe.Add("time_zone", "time_zone", "")
		}
	}
	// A point needs both halves.
	if c.Latitude == nil && c.Longitude != nil {
		fe.Add("latitude", "required", "")
	}
	if c.Longitude == nil && c.Latitude != nil {
		fe.Add("longitude", "required", "")
	}
	return fe.orNil()
}

// HasPoint reports whether the city has coordinates.
func (c *City) HasPoint() bool { return c.Latitude != nil && c.Longitude != nil }

// CityFilter narrows a list of cities. Zero values match everything.
type CityFilter struct {
	// Query matches part of the name, or a whole country code.
	Query string
	// Countries also match when Query is set: codes whose names match it.
	Countries []string
	Region    Region
}

// Cities lists the cities that match f, by name.
func (s *Store) Cities(ctx context.Context, f CityFilter) ([]City, error) {
	all := f.Region == "" && strings.TrimSpace(f.Query) == ""
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
	q := s.db.WithContext(ctx).Model(&City{})
	if f.Region != "" {
		q = q.Where("region = ?", f.Region)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		like := "%" + escapeLike(strings.ToLower(query)) + "%"
		cond := s.db.Where("LOWER(name) LIKE ? ESCAPE '\\'", like).Or("country = ?", strings.ToUpper(query))
		if slug := Slugify(query); slug != "" {
			// "agádir" finds Agadir too.
			cond = cond.Or("slug LIKE ? ESCAPE '\\'", "%"+escapeLike(slug)+"%")
		}
		if len(f.Countries) > 0 {
			cond = cond.Or("country IN ?", f.Countries)
		}
		q = q.Where(cond)
	}
	var cities []City
	if err := q.Order("name").Find(&cities).Error; err != nil {
		return nil, fmt.Errorf("list cities: %w", err)
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
	cities  []City
}

// get returns a copy of the list if it was read at version.
func (c *cityCache) get(version int64) ([]City, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cities == nil || c.version != version {
		return nil, false
	}
	return slices.Clone(c.cities), true
}

// put keeps a copy of the list read at version.
func (c *cityCache) put(version int64, cities []City) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version, c.cities = version, slices.Clone(cities)
}

// escapeLike escapes the LIKE wildcards in s.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// City returns the city with id.
func (s *Store) City(ctx context.Context, id uint) (*City, error) {
	var c City
	if err := s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// CityBySlug returns the city with slug.
func (s *Store) CityBySlug(ctx context.Context, slug string) (*City, error) {
	var c City
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).First(&c).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// CitiesByID returns the cities with the given ids, by name.
func (s *Store) CitiesByID(ctx context.Context, ids []uint) ([]City, error) {
	var cities []City
	if len(ids) == 0 {
		return cities, nil
	}
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("name").Find(&cities).Error
	return cities, err
}

// CreateCity stores a new city and the coordinators assigned to it.
func (s *Store) CreateCity(ctx context.Context, actor Actor, c *City, coordinatorIDs []uint) error {
	if err := s.ValidateCity(c); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(c).Error; err != nil {
			if translate(err) == ErrDuplicate {
				return FieldErrors{"name": {Code: "taken"}}
			}
			return fmt.Errorf("create city: %w", err)
		}
		if err := tx.setCityCoordinators(c.ID, coordinatorIDs); err != nil {
			return err
		}
		if err := tx.bumpDataVersion(); err != nil {
			return err
		}
		return tx.audit(actor, AuditCreate, EntityCity, c.ID, &c.ID, c.Name)
	})
}

// UpdateCity saves c's fields and replaces its coordinators.
func (s *Store) UpdateCity(ctx context.Context, actor Actor, c *City, coordinatorIDs []uint) error {
	if err := s.ValidateCity(c); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var old City
		if err := tx.db.First(&old, c.ID).Error; err != nil {
			return translate(err)
		}
		res := tx.db.Model(&City{ID: c.ID}).Select("name", "slug", "country", "region", "joined_year", "co_lead", "time_zone", "latitude", "longitude", "updated_at").Updates(c)
		if res.Error != nil {
			if translate(res.Error) == ErrDuplicate {
				return FieldErrors{"slug": {Code: "taken"}}
			}
			return fmt.Errorf("update city: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.setCityCoordinators(c.ID, coordinatorIDs); err != nil {
			return err
		}
		if err := tx.bumpDataVersion(); err != nil {
			return err
		}
		if old.Region != c.Region {
			// The regional roll-ups hold the city's figures under its region.
			if err := tx.refreshRegions(old.Region, c.Region); err != nil {
				return err
			}
			if err := tx.moveCityDays(c.ID, old.Region, c.Region); err != nil {
				return err
			}
		}
		return tx.audit(actor, AuditUpdate, EntityCity, c.ID, &c.ID, c.Name)
	})
}

// setCityCoordinators makes exactly the given users the city's coordinators.
// Ids that are not coordinators are refused.
func (s *Store) setCityCoordinators(cityID uint, userIDs []uint) error {
	if len(userIDs) > 0 {
		var n int64
		if err := s.db.Model(&User{}).Where("id IN ? AND role = ?", userIDs, RoleCoordinator).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(uniq(userIDs)) {
			return FieldErrors{"coordinators": {Code: "oneof"}}
		}
	}
	if err := s.db.Exec("DELETE FROM user_cities WHERE city_id = ?", cityID).Error; err != nil {
		return err
	}
	for _, id := range uniq(userIDs) {
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

// uniq returns ids without repeats, in first-seen order.
func uniq[T comparable](ids []T) []T {
	seen := make(map[T]bool, len(ids))
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// sameSet reports whether a and b hold the same values, repeats and order
// aside.
func sameSet[T comparable](a, b []T) bool {
	in := make(map[T]bool, len(a))
	for _, v := range a {
		in[v] = true
	}
	for _, v := range b {
		if !in[v] {
			return false
		}
	}
	return len(in) == len(uniq(b))
}
