package models

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldLetters are the letters NFD does not take apart that people type
// without their stroke or ligature; tatweel (ـ) only stretches a word.
var foldLetters = strings.NewReplacer("ø", "o", "œ", "oe", "æ", "ae", "ß", "ss", "ł", "l", "đ", "d", "ı", "i", "ـ", "")

// FoldSearch is s as the city searches compare it: lower case, without
// accents or Arabic marks (the marks NFD separates, hamzas and maddas
// included: Fès, fes; أغادير, اغادير), words separated by one space.
func FoldSearch(s string) string {
	if ascii(s) {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}), " ")
	}
	s = foldLetters.Replace(norm.NFD.String(strings.ToLower(s)))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.M, r):
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// ascii reports whether s is all ASCII: most cities' names are, and need
// no Unicode folding.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
