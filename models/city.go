package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

	// Names are the city's names in other languages and scripts (فاس,
	// Fès for Fez), by which the searches find it too. nil on a write
	// leaves the stored names as they are; empty removes them.
	Names []CityName `gorm:"-" field:"names"`
}

// CityName is a city's name in one language.
type CityName struct {
	// Lang is a BCP 47 language tag ("ar", "fr", "zh-Hant").
	Lang string
	Name string
}

// MaxCityNames bounds a city's names in other languages.
const MaxCityNames = 20

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

// Validate checks the city's fields and its invariants.
func (c *City) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	c.TimeZone = strings.TrimSpace(c.TimeZone)
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	if c.Slug == "" {
		c.Slug = Slugify(c.Name)
	}
	fe := check(c)
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
	c.validateNames(fe)
	// A point needs both halves.
	if c.Latitude == nil && c.Longitude != nil {
		fe.Add("latitude", "required", "")
	}
	if c.Longitude == nil && c.Latitude != nil {
		fe.Add("longitude", "required", "")
	}
	return fe.Err()
}

// validateNames checks the city's other names: a known language each,
// once, and a name of at most 120 characters.
func (c *City) validateNames(fe FieldErrors) {
	if len(c.Names) > MaxCityNames {
		fe.Add("names", "max", strconv.Itoa(MaxCityNames))
		return
	}
	seen := map[string]bool{}
	for i := range c.Names {
		n := &c.Names[i]
		n.Name = strings.TrimSpace(n.Name)
		tag, err := language.Parse(strings.TrimSpace(n.Lang))
		switch {
		case n.Name == "":
			fe.Add("names", "required", "")
		case utf8.RuneCountInString(n.Name) > 120:
			fe.Add("names", "max", "120")
		case HasControl(n.Name, false):
			fe.Add("names", "control_chars", "")
		case err != nil || tag == language.Und:
			fe.Add("names", "lang_code", "")
		case seen[tag.String()]:
			fe.Add("names", "lang_twice", "")
		default:
			n.Lang = tag.String()
			seen[n.Lang] = true
		}
	}
}

// NameMatching is the first of the city's other names that holds query,
// both folded (FoldSearch), when its own name does not: what the city was
// found by. The zero CityName when none.
func (c *City) NameMatching(query string) CityName {
	q := FoldSearch(query)
	if q == "" || strings.Contains(FoldSearch(c.Name), q) {
		return CityName{}
	}
	for _, n := range c.Names {
		if strings.Contains(FoldSearch(n.Name), q) {
			return n
		}
	}
	return CityName{}
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
	// Country, Cohort and ID narrow the list to one country, the cities
	// that joined in one year, and one city.
	Country string
	Cohort  int
	ID      uint
}

// Unique returns xs without repeats, in first-seen order: the choices of
// a form (areas, groups, partners) and the ids a write touches.
func Unique[T comparable](ids []T) []T {
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

// CityStats counts a city's records for its coordinator's dashboard.
type CityStats struct {
	Events   int64
	Upcoming int64
	Partners int64
}
