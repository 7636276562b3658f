package views

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestMapProjectionMatchesTheOutlines: a city's point is projected as
// views/worldmap.mjs projected the outlines, so Agadir falls inside
// Morocco's outline and Melton inside Australia's.
func TestMapProjectionMatchesTheOutlines(t *testing.T) {
	x, y := project(30.4278, -9.5981)
	if math.Abs(x-475.108) > 0.01 || math.Abs(y-132.344) > 0.01 {
		t.Errorf("Agadir at %.3f, %.3f; the build script puts it at 475.108, 132.344", x, y)
	}
	for _, tt := range []struct {
		country  string
		lat, lon float64
	}{{"Morocco", 31.6295, -7.9811}, {"Australia", -37.6833, 144.5833}, {"Colombia", 6.2442, -75.5812}, {"Japan", 34.6551, 133.9195}} {
		x0, y0, x1, y1 := outlineBox(t, tt.country)
		x, y := project(tt.lat, tt.lon)
		if x < x0 || x > x1 || y < y0 || y > y1 {
			t.Errorf("%s: point %.1f, %.1f outside its outline's box %.1f,%.1f–%.1f,%.1f", tt.country, x, y, x0, y0, x1, y1)
		}
	}
}

// outlineBox is the bounding box of a country's outline.
func outlineBox(t *testing.T, name string) (x0, y0, x1, y1 float64) {
	t.Helper()
	for line := range strings.Lines(worldOutlines) {
		parts := strings.SplitN(strings.TrimSpace(line), "\t", 3)
		if len(parts) != 3 || parts[1] != name {
			continue
		}
		x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		f := strings.FieldsFunc(parts[2], func(r rune) bool { return r == 'M' || r == 'L' || r == 'Z' || r == ' ' })
		for i := 0; i+1 < len(f); i += 2 {
			x, _ := strconv.ParseFloat(f[i], 64)
			y, _ := strconv.ParseFloat(f[i+1], 64)
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
		return
	}
	t.Fatalf("no outline named %s", name)
	return
}
