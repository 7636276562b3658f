package models_test

import (
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Control characters: each of these in a one-line field is refused with
// "control_chars", whatever record holds it.
var controls = map[string]string{
	"CR":  "Reading\rURL:https://evil.example",
	"LF":  "Reading\nURL:https://evil.example",
	"TAB": "Reading\tclub",
	"VT":  "Reading\vclub",
	"ESC": "Reading\x1b[2Jclub",
	"DEL": "Reading\x7fclub",
	"C1":  "Reading\u0085club",
}

func validRecords() map[string]func(title string) (func() string, error) {
	start := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Minute)
	n := 10
	return map[string]func(string) (func() string, error){
		"event": func(s string) (func() string, error) {
			e := &models.Event{CityID: 1, CampaignID: 1, Title: s, StartsAt: start, EndsAt: start.Add(time.Hour),
				Format: models.FormatInPerson, Status: models.StatusHeld, Participants: &n,
				LearningAreas: []models.LearningArea{models.AreaFamilies}, Description: "Line one\r\nline two\rthree\tfour"}
			return func() string { return e.Description }, e.Validate(time.Now())
		},
		"partner": func(s string) (func() string, error) {
			p := &models.Partner{CityID: 1, Name: s, Sector: models.SectorCultural}
			return nil, p.Validate()
		},
		"story": func(s string) (func() string, error) {
			st := &models.Story{CityID: 1, CampaignID: 1, Title: s, DisplayName: "Fatima",
				Body: "The literacy circle at the library\r\nchanged my life.", AgeGroup: models.AgeAdults, PublicationConsent: true}
			return func() string { return st.Body }, st.Validate()
		},
		"campaign": func(s string) (func() string, error) {
			c := &models.Campaign{Hashtag: "#Learn", Name: s, StartsOn: start, ReportPeriods: "campaign",
				Description: "One\r\ntwo", Texts: map[string]models.CampaignText{"fr": {Description: "Un\r\ndeux"}}}
			return func() string { return c.Description + "|" + c.Texts["fr"].Description }, c.Validate()
		},
	}
}

func TestTextFieldsRefuseControlCharacters(t *testing.T) {
	field := map[string]string{"event": "title", "partner": "name", "story": "title", "campaign": "name"}
	for kind, build := range validRecords() {
		if _, err := build("Reading club"); err != nil {
			t.Fatalf("%s: valid record refused: %v", kind, err)
		}
		for name, s := range controls {
			_, err := build(s)
			fe, _ := models.AsFieldErrors(err)
			if fe[field[kind]].Code != "control_chars" {
				t.Errorf("%s %s with %s: %v, want control_chars", kind, field[kind], name, err)
			}
		}
	}
}

// TestMultiLineTextKeepsLines: a textarea's CRLF (and a lone CR) become
// LF, and TAB stays; ESC or a C1 control is refused there too.
func TestMultiLineTextKeepsLines(t *testing.T) {
	want := map[string]string{
		"event":    "Line one\nline two\nthree\tfour",
		"story":    "The literacy circle at the library\nchanged my life.",
		"campaign": "One\ntwo|Un\ndeux",
	}
	for kind, build := range validRecords() {
		text, err := build("Reading club")
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if text != nil && text() != want[kind] {
			t.Errorf("%s: multi-line text = %q, want %q", kind, text(), want[kind])
		}
	}
	for _, s := range []string{"Line\x1bone", "Line\u009bone", "Line\x00one"} {
		e := &models.Event{Description: s}
		fe, _ := models.AsFieldErrors(e.Validate(time.Now()))
		if fe["description"].Code != "control_chars" {
			t.Errorf("description %q: %v, want control_chars", s, fe)
		}
	}
	if models.HasControl("Fès, مكتبة — 📚", false) {
		t.Error("letters of any script are not controls")
	}
}
