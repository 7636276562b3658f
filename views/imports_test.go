package views

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestImportWordsMeanOneThing: no label or synonym of any language, once
// folded as a cell is, stands for two values of one column ("active"
// meaning yes in English and in French is one meaning).
func TestImportWordsMeanOneThing(t *testing.T) {
	t.Parallel()
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range importEnumColumns {
		seen := map[string]string{} // folded word → value
		for _, tag := range c.tags {
			ctx := c.WithRequest(context.Background(), Request{Lang: tag})
			for _, o := range importChoices(ctx, col) {
				words := []string{o.Value, o.Label}
				id := "import.also." + col + "." + o.Value
				if s := T(ctx, id); s != id {
					words = append(words, strings.Split(s, ";")...)
				}
				for _, w := range words {
					n := models.NormalizeHeader(w)
					if n == "" {
						continue
					}
					if v, dup := seen[n]; dup && v != o.Value {
						t.Errorf("%s: %q (%s) means %s and %s", col, w, tag, v, o.Value)
					}
					seen[n] = o.Value
				}
			}
		}
	}
	v := c.ImportVocabulary()
	for cell, want := range map[string]string{"Réalisé": "held", "REALISE": "held", "a eu lieu": "held", "أقيمت": "held", "اقيمت": "held", "In-Person": "in-person", "in person": "in-person"} {
		col := "status"
		if strings.Contains(strings.ToLower(cell), "person") {
			col = "format"
		}
		if got := v.Value(col, cell); got != want {
			t.Errorf("%s %q read as %q, want %q", col, cell, got, want)
		}
	}
	if got := v.Value("learning_areas", "Qualite de l'apprentissage"); got != "quality" {
		t.Errorf("an area without its accent and with a straight apostrophe: %q", got)
	}
}

// TestToDoAgreesWithItsCount: the coordinator's to-do line for events
// awaiting their count agrees in number in French and Spanish, where the
// adjective follows the noun.
func TestToDoAgreesWithItsCount(t *testing.T) {
	t.Parallel()
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 1, "Agadir : 1 événement passé sans nombre de participants"},
		{"fr", 3, "Agadir : 3 événements passés sans nombre de participants"},
		{"es", 1, "Agadir: 1 evento pasado sin número de participantes"},
		{"es", 3, "Agadir: 3 eventos pasados sin número de participantes"},
		{"en", 2, "Agadir: 2 past events without a participant count"},
	} {
		ctx := c.WithRequest(context.Background(), Request{Lang: language.MustParse(tt.lang)})
		if got := Tnf(ctx, "todo.attendance", tt.n, map[string]any{"City": "Agadir"}); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
