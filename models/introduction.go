package models

import (
	"slices"
	"strconv"
	"time"
)

// DocumentIntro is staff's introduction to the network document of one
// period, in one interface language: the cover's words above the
// figures. A period is the document's first and last days; a text
// written for a year is not shown on a quarter's document, whose
// figures it would misdescribe.
type DocumentIntro struct {
	ID uint `gorm:"primaryKey"`
	// FromDay and ToDay are the period's first and last days
	// (YYYY-MM-DD), "" for an open end.
	FromDay   string
	ToDay     string
	Lang      string
	Body      string
	UpdatedAt time.Time
}

// IntroMaxChars is the longest introduction, in characters, per
// language: about a printed page.
const IntroMaxChars = 4000

// IntroField is the form field of the introduction in lang.
func IntroField(lang string) string { return "text_" + lang }

// ValidateIntroTexts tidies the texts of an introduction, by language
// (CampaignLanguages), and checks them: an empty text is none, and a
// language outside the interface's is refused. The problems are keyed
// by IntroField.
func ValidateIntroTexts(texts map[string]string) (map[string]string, error) {
	fe := FieldErrors{}
	out := make(map[string]string, len(texts))
	for lang, text := range texts {
		field := IntroField(lang)
		if !slices.Contains(CampaignLanguages(), lang) {
			fe.Add(field, "oneof", "")
			continue
		}
		text = TextLines(text)
		fe.checkText(field, text, true)
		if n := len([]rune(text)); n > IntroMaxChars {
			fe.Add(field, "max", strconv.Itoa(IntroMaxChars))
		}
		out[lang] = text
	}
	if len(fe) > 0 {
		return nil, fe
	}
	return out, nil
}
