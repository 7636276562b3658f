package views

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestSearchFold(t *testing.T) {
	for in, want := range map[string]string{
		"Fès":                "fes",
		"Villa María":        "villa maria",
		"  Saint-Denis  ":    "saint denis",
		"L’Aquila":           "l aquila",
		"Tromsø":             "tromso",
		"Sơn La":             "son la",
		"Łódź":               "lodz",
		"İzmir":              "izmir",
		"أغادير":             "اغادير",
		"إفران":              "افران",
		"المَغْرِب":          "المغرب",
		"مـراكـش":            "مراكش",
		"Côte d'Ivoire, CI.": "cote d ivoire ci",
	} {
		if got := searchFold(in); got != want {
			t.Errorf("searchFold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPickerPluralsMatchEveryCount: the script picks a message by the
// CLDR category of a count (Intl.PluralRules) among the forms the server
// rendered once per category; for every count a picker can show, what
// it writes is what the server would have written for that count.
func TestPickerPluralsMatchEveryCount(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	categories := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	for _, tag := range c.Languages() {
		ctx := c.WithRequest(context.Background(), Request{Lang: tag})
		at := pickerAttrs(ctx)
		for _, m := range []struct{ name, id, none string }{{"matches", "picker.matches", "picker.no_match"}, {"chosen", "picker.chosen", "picker.none_chosen"}} {
			if at["data-"+m.name+"-none"] != T(ctx, m.none) {
				t.Errorf("%s: data-%s-none = %v", tag, m.name, at["data-"+m.name+"-none"])
			}
			for n := 1; n <= 1000; n++ {
				form := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
				text, ok := at["data-"+m.name+"-"+categories[form]].(string)
				if !ok {
					text = at["data-"+m.name+"-other"].(string)
				}
				got := strings.NewReplacer("{n}", Num(ctx, int64(n)), "{names}", "Agadir").Replace(text)
				want := Tnf(ctx, m.id, n, map[string]any{"Names": "Agadir"})
				if got != want {
					t.Errorf("%s %s, %d: the script would write %q, the server %q", tag, m.id, n, got, want)
					break
				}
			}
		}
	}
}

// BenchmarkCityPicker renders a picker of the network's 425 cities in 90
// countries, in Arabic, two of them ticked.
func BenchmarkCityPicker(b *testing.B) {
	c, err := NewCatalog()
	if err != nil {
		b.Fatal(err)
	}
	ctx := c.WithRequest(context.Background(), Request{Lang: language.Arabic})
	var codes []string
	for r := 'A'; r <= 'Z' && len(codes) < 90; r++ {
		for s := 'A'; s <= 'Z' && len(codes) < 90; s += 3 {
			if code := string([]rune{r, s}); CountryName(ctx, code) != code {
				codes = append(codes, code)
			}
		}
	}
	cities := make([]models.City, 425)
	for i := range cities {
		cities[i] = models.City{ID: uint(i + 1), Name: fmt.Sprintf("Ciudad Número %d", i), Country: codes[i%len(codes)]}
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := cityPicker(field{Name: "cities", Label: "Cities"}, cities, []string{"7", "300"}, nil).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}
