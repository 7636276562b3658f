package models_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestBreakdownsFollowTheJSON checks the registry against the Breakdowns
// struct, whose JSON is the API's stable contract: the same keys in the
// same order, and each entry's Rows is the field of its key.
func TestBreakdownsFollowTheJSON(t *testing.T) {
	var tags []string
	typ := reflect.TypeFor[models.Breakdowns]()
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		tags = append(tags, tag)
	}
	var keys []string
	for _, bd := range models.AllBreakdowns() {
		keys = append(keys, bd.Key)
		var b models.Breakdowns
		*bd.Rows(&b) = []models.Row{{Key: "here"}}
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string][]models.Row
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		for key, rows := range got {
			if (len(rows) == 1) != (key == bd.Key) {
				t.Errorf("%s: Rows sets %s", bd.Key, key)
			}
		}
	}
	if !slices.Equal(keys, tags) {
		t.Errorf("registry keys %v, JSON fields %v", keys, tags)
	}
}

// TestBreakdownsAreConsistent checks what the consumers of the registry
// rely on.
func TestBreakdownsAreConsistent(t *testing.T) {
	names := map[string]bool{}
	var pages []int
	for _, bd := range models.AllBreakdowns() {
		if names[bd.Name] {
			t.Errorf("%s: name used twice", bd.Name)
		}
		names[bd.Name] = true
		pages = append(pages, bd.Page)
		if !slices.IsSortedFunc(bd.Figures, func(a, b models.Figure) int {
			return slices.Index(models.Figures(), a) - slices.Index(models.Figures(), b)
		}) {
			t.Errorf("%s: figures %v are not in the order of Figures", bd.Name, bd.Figures)
		}
		for _, set := range [][]models.Figure{bd.Figures, bd.Table, bd.Compared} {
			for _, f := range set {
				if !f.Valid() || !slices.Contains(bd.Figures, f) {
					t.Errorf("%s: %s is not one of its figures", bd.Name, f)
				}
			}
		}
		if len(bd.Table) == 0 {
			t.Errorf("%s: its tables show no figure", bd.Name)
		}
		// Compared, every table has its changes (issue 33).
		if len(bd.Compared) == 0 {
			t.Errorf("%s: its table shows no change when compared", bd.Name)
		}
		if bd.Chart != "" && !slices.Contains(bd.Table, bd.Chart) {
			t.Errorf("%s: its chart draws %s, which its table does not show", bd.Name, bd.Chart)
		}
		switch bd.From {
		case models.FromDimension:
			// A dimension's keys are labelled "<dim>.<key>": the name is the dimension's.
			if bd.Name != string(bd.Dim) || len(bd.Keys()) == 0 {
				t.Errorf("%s: dimension %q, keys %v", bd.Name, bd.Dim, bd.Keys())
			}
		case models.FromRegions, models.FromCountries, models.FromCities, models.FromMonths:
			if bd.Dim != "" || models.BreakdownFrom(bd.From).Name != bd.Name {
				t.Errorf("%s: rows from %s, dimension %q", bd.Name, bd.From, bd.Dim)
			}
		default:
			t.Errorf("%s: rows from %q", bd.Name, bd.From)
		}
	}
	slices.Sort(pages)
	for i, p := range pages {
		if p != i+1 {
			t.Errorf("pages %v are not 1 to %d", pages, len(pages))
			break
		}
	}
}

func TestRowSetAndValue(t *testing.T) {
	for i, f := range models.Figures() {
		var r models.Row
		r.Set(f, int64(i+1))
		for _, g := range models.Figures() {
			if v := r.Value(g); (g == f) != (v != nil) || v != nil && *v != int64(i+1) {
				t.Errorf("Set(%s) gives %s = %v", f, g, v)
			}
		}
	}
}
