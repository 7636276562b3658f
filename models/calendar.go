package models

import (
	"slices"
	"strings"
	"time"
)

// GlobalDay is a day of the year the network marks, such as International
// Literacy Day (8 September): the calendar shows it every year.
type GlobalDay struct {
	ID    uint `gorm:"primaryKey"`
	Month int  `field:"month"`
	Day   int  `field:"day"`
	// Name is in English; Texts holds it in the other interface languages.
	Name      string                  `field:"name" validate:"required,max=120"`
	Texts     map[string]CampaignText `gorm:"serializer:json"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NameIn is the day's name in lang, or in English.
func (g *GlobalDay) NameIn(lang string) string {
	if t, ok := g.Texts[lang]; ok && t.Name != "" {
		return t.Name
	}
	return g.Name
}

// In is the day's date in year y.
func (g *GlobalDay) In(y int) time.Time {
	return time.Date(y, time.Month(g.Month), g.Day, 0, 0, 0, 0, time.UTC)
}

// Validate checks a global day and tidies its names. 29 February
// is refused: it is not a day of every year.
func (g *GlobalDay) Validate() error {
	g.Name = strings.TrimSpace(g.Name)
	if g.Texts == nil {
		g.Texts = map[string]CampaignText{}
	}
	for lang, t := range g.Texts {
		t.Name, t.Description = strings.TrimSpace(t.Name), ""
		if t.Name == "" || !slices.Contains(CampaignLanguages()[1:], lang) {
			delete(g.Texts, lang)
			continue
		}
		g.Texts[lang] = t
	}
	fe := check(g)
	for _, lang := range CampaignLanguages()[1:] {
		if len([]rune(g.Texts[lang].Name)) > 120 {
			fe.Add("name_"+lang, "max", "120")
		}
	}
	if g.Month < 1 || g.Month > 12 {
		fe.Add("month", "oneof", "")
	} else if d := time.Date(2025, time.Month(g.Month), g.Day, 0, 0, 0, 0, time.UTC); g.Day < 1 || d.Month() != time.Month(g.Month) {
		fe.Add("day", "day_of_month", "")
	}
	return fe.Err()
}

// CalendarFilter narrows the calendar's events to some cities (nil: the
// whole network; empty: none) and a span of time [From, To).
type CalendarFilter struct {
	CityIDs  []uint
	From, To time.Time
}
