package views

import (
	"bytes"
	"context"
	"hash/fnv"
	"io"
	"slices"

	"github.com/hashicorp/golang-lru/v2"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CityForm is what the city form posts.
type CityForm struct {
	Name         string   `form:"name"`
	Slug         string   `form:"slug"`
	Country      string   `form:"country"`
	Region       string   `form:"region"`
	JoinedYear   string   `form:"joined_year"`
	TimeZone     string   `form:"time_zone"`
	CoLead       bool     `form:"co_lead"`
	Latitude     string   `form:"latitude"`
	Longitude    string   `form:"longitude"`
	Coordinators []string `form:"coordinators"`
	// NameLangs and NameValues are the rows of the city's names in other
	// languages: a language code and a name each.
	NameLangs  []string `form:"name_lang"`
	NameValues []string `form:"name_value"`
}

// cityNameRow is one row of the city form's other names.
type cityNameRow struct{ Lang, Name string }

// cityNameRows are the rows of the city form's other names: those given,
// then two blank ones to add more.
func cityNameRows(f CityForm) []cityNameRow {
	var rows []cityNameRow
	for i := range min(len(f.NameLangs), len(f.NameValues)) {
		rows = append(rows, cityNameRow{f.NameLangs[i], f.NameValues[i]})
	}
	if free := models.MaxCityNames - len(rows); free > 0 {
		for range min(free, 2) {
			rows = append(rows, cityNameRow{})
		}
	}
	return rows
}

// CityFormPage is the data of the staff's new and edit city pages.
type CityFormPage struct {
	Slug         string // "" for a new city
	Form         CityForm
	Errors       models.FieldErrors
	Coordinators []models.User
}

// DirectoryPage is the data of the public city directory.
type DirectoryPage struct {
	Cities []models.City
	// MapRows are the by-city figures of the network's report, for the map.
	MapRows []models.Row
	Query   string
	Region  string
}

// CityPage is the data of a city's public page.
type CityPage struct {
	City     *models.City
	Upcoming []models.Event
	Recent   []models.Event
	Partners []models.Partner
	Stories  models.Paged[models.Story]
}

// cityCrumbs leads from the dashboard to a city's management pages.
func cityCrumbs(ctx context.Context, city *models.City, rest ...crumb) []crumb {
	out := []crumb{{Href: "/dashboard", Label: T(ctx, "nav.dashboard")}, {Href: CityManageURL(city), Label: city.Name}}
	return append(out, rest...)
}

// CityURL is the public page of a city.
func CityURL(c *models.City) string { return "/cities/" + c.Slug }

// CityManageURL is the coordinator's page of a city: its events.
func CityManageURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/events" }

// CityPartnersURL is the coordinator's list of a city's partners.
func CityPartnersURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/partners" }

func cityFormTitle(ctx context.Context, p CityFormPage) string {
	if p.Slug == "" {
		return T(ctx, "manage_cities.new")
	}
	return T(ctx, "manage_cities.edit_title")
}

func cityFormAction(p CityFormPage) string {
	if p.Slug == "" {
		return "/manage/cities"
	}
	return "/manage/cities/" + p.Slug
}

func coordinatorOptions(us []models.User) []option {
	out := make([]option, len(us))
	for i, u := range us {
		out[i] = option{Value: uitoa(u.ID), Label: u.Name + " (" + u.Email + ")"}
	}
	return out
}

// cityChoices lists cities for a select, grouped under their country's
// name in the language of ctx, countries and cities in alphabetical
// order; value picks what a choice sends (the slug, the id).
func cityChoices(ctx context.Context, cities []models.City, value func(models.City) string) []option {
	names := map[string]string{}
	out := make([]option, len(cities))
	for i, c := range cities {
		if _, ok := names[c.Country]; !ok {
			names[c.Country] = CountryName(ctx, c.Country)
		}
		out[i] = option{Value: value(c), Label: c.Name, Group: names[c.Country]}
	}
	order := cityOrder(req(ctx).Lang, out)
	sorted := make([]option, len(out))
	for i, j := range order {
		sorted[i] = out[j]
	}
	return sorted
}

// cityOrders keeps, by language and list, the order cityOrder found:
// sorting the network's 425 cities by collation took a millisecond or two
// a page, and the list changes only when a city is added or renamed.
var cityOrders, _ = lru.New[uint64, []int](16)

// cityOrder is the order of opts by group, then label, in lang's
// alphabetical order.
func cityOrder(lang language.Tag, opts []option) []int {
	h := fnv.New64a()
	io.WriteString(h, lang.String())
	for _, o := range opts {
		io.WriteString(h, "\x00")
		io.WriteString(h, o.Group)
		io.WriteString(h, "\x00")
		io.WriteString(h, o.Label)
	}
	if order, ok := cityOrders.Get(h.Sum64()); ok && len(order) == len(opts) {
		return order
	}
	coll, buf := collate.New(lang), &collate.Buffer{}
	keys := make([][2][]byte, len(opts))
	for i, o := range opts {
		keys[i] = [2][]byte{bytes.Clone(coll.KeyFromString(buf, o.Group)), bytes.Clone(coll.KeyFromString(buf, o.Label))}
	}
	order := make([]int, len(opts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if n := bytes.Compare(keys[a][0], keys[b][0]); n != 0 {
			return n
		}
		return bytes.Compare(keys[a][1], keys[b][1])
	})
	cityOrders.Add(h.Sum64(), order)
	return order
}

// slugOf is what a city's choice sends: its slug.
func slugOf(c models.City) string { return c.Slug }

// cityLabels names the city form's fields for its error summary.
func cityLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"name", T(ctx, "city.name")}, {"slug", T(ctx, "city.slug")}, {"country", T(ctx, "city.country_code")},
		{"region", T(ctx, "city.region")}, {"joined_year", T(ctx, "city.joined_year")}, {"time_zone", T(ctx, "city.time_zone")},
		{"latitude", T(ctx, "annual.latitude")}, {"longitude", T(ctx, "annual.longitude")},
		{"names", T(ctx, "city.other_names")}, {"coordinators", T(ctx, "city.coordinators")},
	}
}
