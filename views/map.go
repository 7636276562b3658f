package views

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/static"
)

// worldOutlines are the countries' outlines, projected once by
// views/worldmap.mjs from Natural Earth (public domain): one line
// per country, "ISO numeric<TAB>name<TAB>SVG path".
//
//go:embed worldmap.txt
var worldOutlines string

// countryPaths is the outlines as SVG path elements, built once.
var countryPaths = sync.OnceValue(func() string {
	var b strings.Builder
	for line := range strings.Lines(worldOutlines) {
		parts := strings.SplitN(strings.TrimSpace(line), "\t", 3)
		if len(parts) != 3 {
			continue
		}
		fmt.Fprintf(&b, `<path class="land" d="%s"></path>`, parts[2])
	}
	return b.String()
})

// worldFile is the static file of the countries' outlines that pages'
// maps draw their points over: 150 KB that a browser fetches once and
// keeps (under a content-hashed name) rather than in every page.
const worldFile = "img/world-map.svg"

func init() {
	static.Add(worldFile, []byte(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s"><g fill="#d5dde5" stroke="#fff" stroke-width="0.5">%s</g></svg>`,
		mapViewBox(), strings.ReplaceAll(countryPaths(), ` class="land"`, ""))))
}

// The Equal Earth projection (Šavrič, Patterson and Jenny, 2018), with the
// constants and frame of views/worldmap.mjs.
const (
	eeA1, eeA2, eeA3, eeA4 = 1.340264, -0.081106, 0.000893, 0.003796
	eeHalfWidth, eeTop     = 2.7064, 1.3173
	mapWidth               = 1000.0
	mapScale               = mapWidth / (2 * eeHalfWidth)
	// The map shows from 84° north to 57° south: no Antarctica.
	mapTop, mapBottom = 0.0, 440.0
)

// project places a point of the globe on the map.
func project(lat, lon float64) (x, y float64) {
	l, p := lon*math.Pi/180, lat*math.Pi/180
	m := math.Sqrt(3) / 2
	t := math.Asin(m * math.Sin(p))
	t2 := t * t
	t6 := t2 * t2 * t2
	px := l * math.Cos(t) / (m * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	py := t * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return (px + eeHalfWidth) * mapScale, (eeTop - py) * mapScale
}

// mapPoint is a city on the map, or a cluster of nearby cities.
type mapPoint struct {
	Slug, Name, Country string
	Value               int64
	X, Y, R             float64
	// Cities are the cities a cluster stands for, the largest first; nil
	// for a point that is one city.
	Cities []mapPoint
}

// worldMap is a laid-out map of cities, sized by one figure.
type worldMap struct {
	ID, Title string
	Figure    models.Figure
	// Points are drawn largest first, so that small ones stay visible.
	Points []mapPoint
	// Unplaced are the cities in scope without coordinates.
	Unplaced []string
}

// newWorldMap places the cities of rows (a by-city breakdown) that have
// coordinates, each sized by its figure: the area of a point grows with
// the value, and a city with none is a small ring. Cities whose points
// would overlap are one point, a cluster, sized by their sum.
func newWorldMap(id, title string, cities []models.City, rows []models.Row, figure models.Figure) worldMap {
	m := worldMap{ID: id, Title: title, Figure: figure}
	bySlug := make(map[string]*models.City, len(cities))
	for i := range cities {
		bySlug[cities[i].Slug] = &cities[i]
	}
	var maxV int64 = 1
	for _, r := range rows {
		if v, _ := figureOf(r, figure); v > maxV {
			maxV = v
		}
	}
	var points []mapPoint
	for _, r := range rows {
		c := bySlug[r.Key]
		if c == nil {
			continue
		}
		if !c.HasPoint() {
			m.Unplaced = append(m.Unplaced, c.Name)
			continue
		}
		v, _ := figureOf(r, figure)
		x, y := project(*c.Latitude, *c.Longitude)
		points = append(points, mapPoint{Slug: c.Slug, Name: c.Name, Country: c.Country, Value: v, X: x, Y: y})
	}
	m.Points = clusterPoints(points, func(v int64) float64 { return min(2.5+11*math.Sqrt(float64(v)/float64(maxV)), 18) })
	return m
}

// clusterPoints sizes each point by radius and merges the points whose
// circles overlap into clusters, at the centre of their cities and sized
// by their sum, until none overlap; the largest come first. A map has a
// few hundred cities: merging pair by pair is quick enough.
func clusterPoints(points []mapPoint, radius func(int64) float64) []mapPoint {
	for i := range points {
		points[i].R = radius(points[i].Value)
	}
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(points) && !merged; i++ {
			for j := i + 1; j < len(points); j++ {
				a, b := points[i], points[j]
				if math.Hypot(a.X-b.X, a.Y-b.Y) >= a.R+b.R {
					continue
				}
				points[i] = mergePoints(a, b, radius)
				points = slices.Delete(points, j, j+1)
				merged = true
				break
			}
		}
	}
	for i := range points {
		slices.SortStableFunc(points[i].Cities, func(a, b mapPoint) int { return cmp.Compare(b.Value, a.Value) })
	}
	slices.SortStableFunc(points, func(a, b mapPoint) int { return cmp.Compare(b.Value, a.Value) })
	return points
}

// mergePoints is the cluster of two points, cities or clusters.
func mergePoints(a, b mapPoint, radius func(int64) float64) mapPoint {
	members := func(p mapPoint) []mapPoint {
		if p.Cities != nil {
			return p.Cities
		}
		return []mapPoint{p}
	}
	c := mapPoint{Cities: append(slices.Clone(members(a)), members(b)...)}
	for _, p := range c.Cities {
		c.Value += p.Value
		c.X += p.X
		c.Y += p.Y
	}
	n := float64(len(c.Cities))
	c.X, c.Y, c.R = c.X/n, c.Y/n, radius(c.Value)
	return c
}

// mapCities are the map's cities one by one, clusters opened, the
// largest first.
func mapCities(m worldMap) []mapPoint {
	var out []mapPoint
	for _, p := range m.Points {
		if p.Cities != nil {
			out = append(out, p.Cities...)
		} else {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b mapPoint) int { return cmp.Compare(b.Value, a.Value) })
	return out
}

// mapViewBox frames the inhabited world.
func mapViewBox() string {
	return fmt.Sprintf("0 %.0f %.0f %.0f", mapTop, mapWidth, mapBottom-mapTop)
}

// mapLand is the countries' outlines, trusted markup built from the
// committed file.
func mapLand() templ.Component { return templ.Raw(countryPaths()) }

func coord(v float64) string { return fmt.Sprintf("%.1f", v) }

// mapFigures are the figures a map can size its points by: those of the
// cities' table.
func mapFigures() []models.Figure { return models.BreakdownFrom(models.FromCities).Table }

// MapFigure reads the figure a map is asked to show (events held by
// default); ok is false for a value that is not one of mapFigures.
func MapFigure(s string) (models.Figure, bool) {
	if s == "" {
		return models.FigureEventsHeld, true
	}
	f := models.Figure(s)
	return f, slices.Contains(mapFigures(), f)
}

// mapPointTitle is a point's tooltip and accessible name: the city and
// its figure, or a cluster's count of cities, their figure and names.
func mapPointTitle(ctx context.Context, p mapPoint, f models.Figure) string {
	value := Num(ctx, p.Value) + " " + T(ctx, "figure."+string(f))
	if len(p.Cities) == 0 {
		return Tf(ctx, "format.pair", map[string]any{"Label": p.Name, "Value": value})
	}
	return Tf(ctx, "annual.map_cluster", map[string]any{"Cities": Tn(ctx, "cities.count", len(p.Cities)), "Value": value, "Names": clusterNames(p, len(p.Cities))})
}

// mapPointName is a point's accessible name: its tooltip for a city; for
// a cluster, the label it shows and its figure, so that the name holds
// the text seen.
func mapPointName(ctx context.Context, p mapPoint, f models.Figure) string {
	if len(p.Cities) == 0 {
		return mapPointTitle(ctx, p, f)
	}
	return Tf(ctx, "annual.map_cluster_name", map[string]any{"Label": mapPointLabel(ctx, p), "Value": Num(ctx, p.Value) + " " + T(ctx, "figure."+string(f))})
}

// mapPointLabel is what a point shows when it is tapped or hovered: the
// city's name, or a cluster's first few names.
func mapPointLabel(ctx context.Context, p mapPoint) string {
	if len(p.Cities) == 0 {
		return p.Name
	}
	return Tf(ctx, "annual.map_cluster_label", map[string]any{"Cities": Tn(ctx, "cities.count", len(p.Cities)), "Names": clusterNames(p, 3)})
}

// clusterNames are a cluster's first n cities' names, "…" after them
// when there are more.
func clusterNames(p mapPoint, n int) string {
	var names []string
	for i, c := range p.Cities {
		if i == n {
			names = append(names, "…")
			break
		}
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

// mapPointURL is where a point leads: its city's page, or for a cluster
// the map's list of cities with their figures.
func mapPointURL(m worldMap, p mapPoint) templ.SafeURL {
	if len(p.Cities) == 0 {
		return templ.SafeURL("/cities/" + p.Slug)
	}
	return templ.SafeURL("#" + m.ID + "-list")
}

// mapLabelX keeps a point's label (centred on the point) inside the map.
func mapLabelX(p mapPoint) string { return coord(min(max(p.X, 90), mapWidth-90)) }

// mapLabelY writes a point's label above it, or below it at the top.
func mapLabelY(p mapPoint) string {
	if p.Y-p.R-8 < mapTop+30 {
		return coord(p.Y + p.R + 30)
	}
	return coord(p.Y - p.R - 8)
}

// pointClass shades a point: a city with nothing to show is a ring.
func pointClass(p mapPoint) string {
	switch {
	case len(p.Cities) > 0:
		return "city cluster"
	case p.Value == 0:
		return "city none"
	}
	return "city"
}
