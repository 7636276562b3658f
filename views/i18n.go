// Package views holds the templ components of the tracker's pages and the
// translation catalogs they read their words from.
package views

import (
	"context"
	"embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Catalog holds the translations of every supported language.
type Catalog struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	tags    []language.Tag
}

// NewCatalog loads the embedded catalogs. English is the source language.
func NewCatalog() (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	entries, err := localeFiles.ReadDir("locales")
	if err != nil {
		return nil, err
	}
	tags := []language.Tag{language.English}
	for _, e := range entries {
		mf, err := b.LoadMessageFileFS(localeFiles, "locales/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("load catalog %s: %w", e.Name(), err)
		}
		// Feature files (people.fr.toml) add to a language already listed.
		if !slices.Contains(tags, mf.Tag) {
			tags = append(tags, mf.Tag)
		}
	}
	return &Catalog{bundle: b, matcher: language.NewMatcher(tags), tags: tags}, nil
}

// Match picks the supported language for an explicit choice or an
// Accept-Language header, English when nothing matches.
func (c *Catalog) Match(prefs ...string) language.Tag {
	tag, _ := language.MatchStrings(c.matcher, prefs...)
	base, _ := tag.Base()
	return language.Make(base.String())
}

// Supported returns the interface language named by code ("fr"), if the
// catalogs have it.
func (c *Catalog) Supported(code string) (language.Tag, bool) {
	for _, t := range c.tags {
		if t.String() == code {
			return t, true
		}
	}
	return language.Und, false
}

// Languages lists the interface languages, English first.
func (c *Catalog) Languages() []language.Tag { return append([]language.Tag(nil), c.tags...) }

// Request holds what every page needs to know about the request: the
// signed-in user (or nil), the CSRF token for forms, the language, the
// current path and a one-time flash message.
type Request struct {
	User  *models.User
	CSRF  string
	Path  string
	Flash string
	Lang  language.Tag
	loc   *i18n.Localizer
	langs []language.Tag
}

type requestKey struct{}

// WithRequest returns ctx carrying r, with a localizer for r.Lang.
func (c *Catalog) WithRequest(ctx context.Context, r Request) context.Context {
	r.loc = i18n.NewLocalizer(c.bundle, r.Lang.String())
	r.langs = c.tags
	return context.WithValue(ctx, requestKey{}, r)
}

// req returns the request information carried by ctx.
func req(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

// T translates the message id in the request's language. A missing id
// is shown as itself so that it stands out (and the catalog tests fail).
func T(ctx context.Context, id string) string {
	return Tf(ctx, id, nil)
}

// Tf translates id with template data.
func Tf(ctx context.Context, id string, data map[string]any) string {
	loc := req(ctx).loc
	if loc == nil {
		return id
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// Tn translates id with the plural form for count, which the message sees
// as {{.Count}}.
func Tn(ctx context.Context, id string, count int) string {
	return Tnf(ctx, id, count, nil)
}

// Tnf translates id with the plural form for count and template data,
// for a sentence whose other words agree with the count ("3 événements
// passés").
func Tnf(ctx context.Context, id string, count int, data map[string]any) string {
	loc := req(ctx).loc
	if loc == nil {
		return id
	}
	all := map[string]any{"Count": Num(ctx, int64(count))}
	maps.Copy(all, data)
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: all})
	if err != nil {
		return id
	}
	return s
}

// formatInt writes n with thousands separators.
func formatInt(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// CountryName is the name of an ISO country code in the request's language.
func CountryName(ctx context.Context, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	lang := req(ctx).Lang
	if lang == language.Und {
		lang = language.English
	}
	if name := display.Regions(lang).Name(r); name != "" {
		return name
	}
	return code
}

// CountriesMatching lists the codes of the countries whose name, in any
// of langs (the interface's languages), holds query, both folded as the
// city pickers fold them: "maroc", "Marruecos" and "المغرب" find MA.
func CountriesMatching(query string, langs []language.Tag) []string {
	query = searchFold(query)
	if len([]rune(query)) < 3 {
		return nil
	}
	var codes []string
	for _, code := range countryCodes() {
		for _, l := range langs {
			if strings.Contains(foldedCountries(l)[code], query) {
				codes = append(codes, code)
				break
			}
		}
	}
	return codes
}

// countryCodes lists every ISO 3166-1 country code.
var countryCodes = sync.OnceValue(func() []string {
	var codes []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if code := string([]rune{a, b}); models.IsCountryCode(code) {
				codes = append(codes, code)
			}
		}
	}
	return codes
})

// countryNamesIn keeps, by language, every country's name folded: a
// search reads them all.
var countryNamesIn sync.Map // language.Tag → map[string]string

// foldedCountries is every country's name in lang, folded, by code.
func foldedCountries(lang language.Tag) map[string]string {
	if m, ok := countryNamesIn.Load(lang); ok {
		return m.(map[string]string)
	}
	names := display.Regions(lang)
	m := make(map[string]string, len(countryCodes()))
	for _, code := range countryCodes() {
		m[code] = searchFold(names.Name(language.MustParseRegion(code)))
	}
	countryNamesIn.Store(lang, m)
	return m
}

// Date formats a date for the request's language.
func Date(ctx context.Context, t time.Time) string {
	return Tf(ctx, "format.date", map[string]any{
		"Day": t.Day(), "Month": T(ctx, "month."+strings.ToLower(t.Month().String())), "Year": t.Year(),
	})
}

// DateTime formats a date and time of day for the request's language.
func DateTime(ctx context.Context, t time.Time) string {
	return Tf(ctx, "format.datetime", map[string]any{"Date": Date(ctx, t), "Time": t.Format("15:04")})
}

// ShortDate writes a date in figures, the language's way ("25/03/2026").
func ShortDate(ctx context.Context, t time.Time) string {
	return t.Format(T(ctx, "format.date_short"))
}

// ShortDateTime writes a date in figures and the time on the 24-hour clock
// ("25/03/2026 14:30").
func ShortDateTime(ctx context.Context, t time.Time) string {
	return t.Format(T(ctx, "format.date_short") + " 15:04")
}

// formatExample is the moment the date fields' hints write as an example:
// a day above 12, so that the day's and the month's places are plain.
func formatExample() time.Time { return time.Date(2026, time.March, 25, 14, 30, 0, 0, time.UTC) }

// DateTimeHint tells how a date and time written in one cell (an import's)
// is written, with an example.
func DateTimeHint(ctx context.Context) string {
	return Tf(ctx, "form.datetime_hint", map[string]any{"Example": Isolate(ctx, strings.Replace(ShortDateTime(ctx, formatExample()), " ", "\u00a0", 1))})
}

// dateHint tells how a date field is written, with an example.
func dateHint(ctx context.Context) string {
	return Tf(ctx, "form.date_hint", map[string]any{"Example": Isolate(ctx, ShortDate(ctx, formatExample()))})
}

// Isolate keeps s, a left-to-right piece (a date, a Latin name) put into a
// sentence of a right-to-left page, in one piece in its own direction, so
// that "25/03/2026 14:30" or "Agadir (Africa/Casablanca)" are not torn apart
// by the sentence's direction. Left-to-right pages get s unchanged.
func Isolate(ctx context.Context, s string) string {
	if Dir(ctx) == "rtl" {
		return "\u2068" + s + "\u2069"
	}
	return s
}

// MonthLabel names a month and its year, as "March 2025".
func MonthLabel(ctx context.Context, t time.Time) string {
	return Tf(ctx, "format.month", map[string]any{"Month": T(ctx, "month."+strings.ToLower(t.Month().String())), "Year": t.Year()})
}

// Dir is the writing direction of the request's language: "rtl" for
// Arabic, "ltr" otherwise.
func Dir(ctx context.Context) string { return dirOf(req(ctx).Lang) }

func dirOf(t language.Tag) string {
	if base, _ := t.Base(); base.String() == "ar" {
		return "rtl"
	}
	return "ltr"
}

// LangName is a language's name in that language ("Français").
func LangName(t language.Tag) string {
	if name := display.Self.Name(t); name != "" {
		return name
	}
	return t.String()
}

// Num formats a whole number for the request's language.
func Num(ctx context.Context, n int64) string {
	lang := req(ctx).Lang
	if lang == language.Und {
		lang = language.English
	}
	if base, _ := lang.Base(); base.String() == "ar" {
		// The Maghreb and most Arabic interfaces on the web write Western
		// digits; the rest of the page (years, times) does too.
		lang = language.MustParse("ar-u-nu-latn")
	}
	return message.NewPrinter(lang).Sprint(number.Decimal(n))
}
