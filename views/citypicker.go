package views

import (
	"context"
	"fmt"
	"strings"

	"github.com/a-h/templ"
	"github.com/hashicorp/golang-lru/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// pickerOpenUpTo is the size of network whose city pickers show every
// country open: up to it the cities fit on a screen or two (the demo has
// 29); beyond it (the network has 425) only the countries of the ticked
// cities are open, and the others are a list of names to open.
const pickerOpenUpTo = 40

// cityGroup is one country of a city picker.
type cityGroup struct {
	Code string // ISO 3166-1 alpha-2
	Name string // in the page's language
	// Search is the country's name in every interface language, folded
	// as static/js/city-picker.js folds what is typed.
	Search string
	Open   bool
	Cities []cityChoice
}

// cityChoice is one city's checkbox.
type cityChoice struct {
	Value, Name, Search string
	Checked             bool
}

// cityGroups lists cities by id under their countries, countries and
// cities in the alphabetical order of the page's language (cityChoices'
// order); a country is open when it has a ticked city or the network is
// small.
func cityGroups(ctx context.Context, cities []models.City, selected []string) []cityGroup {
	byID := make(map[string]models.City, len(cities))
	for _, c := range cities {
		byID[uitoa(c.ID)] = c
	}
	var out []cityGroup
	for _, o := range cityChoices(ctx, cities, func(c models.City) string { return uitoa(c.ID) }) {
		c := byID[o.Value]
		if n := len(out); n == 0 || out[n-1].Code != c.Country {
			out = append(out, cityGroup{Code: c.Country, Name: o.Group, Search: countrySearch(ctx, c.Country), Open: len(cities) <= pickerOpenUpTo})
		}
		g := &out[len(out)-1]
		search := c.Name
		for _, n := range c.Names {
			// Its names in other languages find it too (فاس, Fès).
			search += " " + n.Name
		}
		ch := cityChoice{Value: o.Value, Name: c.Name, Search: searchFold(search), Checked: contains(selected, o.Value)}
		g.Open = g.Open || ch.Checked
		g.Cities = append(g.Cities, ch)
	}
	return out
}

// countrySearches keeps each country's search text by code and
// interface languages: finding the names of the network's 90 countries
// in four languages and folding them took more than a millisecond a page.
var countrySearches, _ = lru.New[string, string](1024)

// countrySearch is what a country is found by: its name in every
// interface language, folded.
func countrySearch(ctx context.Context, code string) string {
	langs := req(ctx).langs
	if len(langs) == 0 {
		langs = []language.Tag{language.English}
	}
	key := fmt.Sprint(code, langs)
	if s, ok := countrySearches.Get(key); ok {
		return s
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return searchFold(code)
	}
	var names []string
	for _, l := range langs {
		if name := searchFold(display.Regions(l).Name(r)); name != "" && !contains(names, name) {
			names = append(names, name)
		}
	}
	s := strings.Join(names, " ")
	countrySearches.Add(key, s)
	return s
}

// searchFold is s as a city picker compares it (models.FoldSearch):
// static/js/city-picker.js folds what is typed the same way.
func searchFold(s string) string { return models.FoldSearch(s) }

// pluralSamples are a number of each CLDR plural category in the
// interface languages, with which a message is rendered once per
// category for the script to choose from (Intl.PluralRules).
var pluralSamples = []struct {
	Category string
	N        int
}{{"zero", 0}, {"one", 1}, {"two", 2}, {"few", 3}, {"many", 11}, {"other", 100}}

// pickerAttrs are the messages the script writes, as data- attributes of
// the picker: data-matches-* counts the cities a search finds and
// data-chosen-* lists the ticked ones, each once per plural category
// (with {n} and {names} for the script to fill in), and the -none ones
// say there are none.
func pickerAttrs(ctx context.Context) templ.Attributes {
	at := templ.Attributes{"data-matches-none": T(ctx, "picker.no_match"), "data-chosen-none": T(ctx, "picker.none_chosen")}
	blanks := map[string]any{"Count": "{n}", "Names": "{names}"}
	pluralAttrs(at, "matches", func(n int) string { return Tnf(ctx, "picker.matches", n, blanks) })
	pluralAttrs(at, "chosen", func(n int) string { return Tnf(ctx, "picker.chosen", n, blanks) })
	return at
}

// pluralAttrs sets data-NAME-CATEGORY to the message for each plural
// category, leaving out a category that reads as "other".
func pluralAttrs(at templ.Attributes, name string, message func(n int) string) {
	other := message(100)
	for _, s := range pluralSamples {
		if msg := message(s.N); s.Category == "other" || msg != other {
			at["data-"+name+"-"+s.Category] = msg
		}
	}
}
