package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// openAPI describes the open-data API (OpenAPI 3.1).
func openAPI() map[string]any {
	param := func(name, desc, format string) map[string]any {
		schema := map[string]any{"type": "string"}
		if format != "" {
			schema["format"] = format
		}
		return map[string]any{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	figures := map[string]any{}
	var required []string
	for _, f := range models.Figures() {
		figures[string(f)] = map[string]any{"type": "integer", "minimum": 0, "description": figureDefinition(f)}
		required = append(required, string(f))
	}
	row := map[string]any{
		"type":     "object",
		"required": []string{"key", "label"},
		"properties": merge(map[string]any{
			"key":   map[string]any{"type": "string", "description": "Stable identifier: region key, ISO country code, city slug, YYYY-MM, learning area, age group, sector or format."},
			"label": map[string]any{"type": "string", "description": "English name of the key."},
		}, figures),
		"description": "One line of a breakdown, with the figures that apply to it.",
	}
	breakdowns := map[string]any{}
	for _, bd := range models.AllBreakdowns() {
		breakdowns[bd.Key] = map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/Row"}}
	}
	changes := map[string]any{}
	for _, f := range models.Figures() {
		changes[string(f)] = map[string]any{"$ref": "#/components/schemas/Change"}
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "LearnThroughLife tracker open data",
			"version":     "1.0.0",
			"description": "Aggregate figures of the #LearnThroughLife campaign of the UNESCO Global Network of Learning Cities. Aggregates only: no personal data.",
		},
		"paths": map[string]any{
			"/api/v1/dictionary": map[string]any{
				"get": map[string]any{
					"summary":     "The data dictionary: each figure's definition and each column of every download",
					"operationId": "getDictionary",
					"responses": map[string]any{
						"200": map[string]any{"description": "The dictionary.", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Dictionary"}}}},
					},
				},
			},
			"/api/v1/report": map[string]any{
				"get": map[string]any{
					"summary":     "Totals and breakdowns of the campaign",
					"operationId": "getReport",
					"parameters": []any{
						param("from", "First day of the period, YYYY-MM-DD (YYYY-MM for a whole month). Days and months as people write them are read too: 25/03/2025, 03/2025, March 2025, mars 2025, marzo de 2025, مارس 2025.", "date"),
						param("to", "Last day of the period, inclusive, YYYY-MM-DD (YYYY-MM for a whole month), or as from.", "date"),
						param("campaign", "Campaign hashtag, with or without #, e.g. LearnThroughLife.", ""),
						param("region", "UNESCO region: africa, arab-states, asia-pacific, europe-north-america, latin-america-caribbean.", ""),
						param("country", "ISO 3166-1 alpha-2 country code.", ""),
						param("city", "City slug, e.g. agadir.", ""),
						param("cohort", "Year the cities joined the network.", ""),
						param("compare", "previous: compare with the period of the same length just before from–to (whole months when from and to are months); year: with the same period a year earlier; none (the default here): no comparison. previous and year need from and to.", ""),
						param("compare_from", "First day of a chosen period to compare with (with compare_to), as from.", "date"),
						param("compare_to", "Last day, inclusive, of the chosen period to compare with, as to.", "date"),
					},
					"responses": map[string]any{
						"200": map[string]any{"description": "The report.", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Report"}}}},
						"400": map[string]any{"description": "A query value is wrong; field names it.", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
					},
				},
			},
		},
		"components": map[string]any{
			"schemas": map[string]any{
				"Report": map[string]any{
					"type":     "object",
					"required": []string{"totals", "breakdowns"},
					"properties": map[string]any{
						"totals":     map[string]any{"type": "object", "properties": figures, "required": required},
						"breakdowns": map[string]any{"type": "object", "properties": breakdowns},
						"comparison": map[string]any{"$ref": "#/components/schemas/Comparison"},
					},
				},
				"Comparison": map[string]any{
					"type":        "object",
					"description": "Present when compare or compare_from/compare_to is given: the report of the compared period with the same filters, and each figure's change from it.",
					"required":    []string{"from", "to", "totals", "breakdowns", "change"},
					"properties": map[string]any{
						"from":       map[string]any{"type": "string", "format": "date", "description": "First day of the compared period."},
						"to":         map[string]any{"type": "string", "format": "date", "description": "Last day of the compared period, inclusive."},
						"totals":     map[string]any{"type": "object", "properties": figures, "required": required},
						"breakdowns": map[string]any{"type": "object", "properties": breakdowns},
						"change":     map[string]any{"type": "object", "properties": changes, "required": required},
					},
				},
				"Change": map[string]any{
					"type":        "object",
					"description": "How a figure moved: current (the report's period) minus previous (the compared period).",
					"required":    []string{"current", "previous", "absolute", "percent"},
					"properties": map[string]any{
						"current":  map[string]any{"type": "integer"},
						"previous": map[string]any{"type": "integer"},
						"absolute": map[string]any{"type": "integer"},
						"percent":  map[string]any{"type": []string{"number", "null"}, "description": "absolute as a percentage of previous, one decimal; null when previous is 0."},
					},
				},
				"Row": row,
				"Dictionary": map[string]any{
					"type":     "object",
					"required": []string{"figures", "exports"},
					"properties": map[string]any{
						"figures": map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []string{"name", "description"}, "properties": map[string]any{"name": map[string]any{"type": "string"}, "description": map[string]any{"type": "string"}}}},
						"exports": map[string]any{"type": "array", "items": map[string]any{
							"type":     "object",
							"required": []string{"file", "description", "columns"},
							"properties": map[string]any{
								"file":        map[string]any{"type": "string", "description": "The download's path; it takes the report's query."},
								"description": map[string]any{"type": "string"},
								"columns":     map[string]any{"type": "array", "items": map[string]any{"type": "object", "required": []string{"name", "description"}, "properties": map[string]any{"name": map[string]any{"type": "string"}, "description": map[string]any{"type": "string"}}}},
							},
						}},
					},
				},
				"Error": map[string]any{
					"type":       "object",
					"properties": map[string]any{"error": map[string]any{"type": "string"}, "field": map[string]any{"type": "string"}},
				},
			},
		},
	}
}

// figureDefinition is the English definition of a figure (DESIGN.md,
// "Reports"), for the API's readers.
func figureDefinition(f models.Figure) string {
	switch f {
	case models.FigureMemberCities:
		return "Cities of the network in the query's scope."
	case models.FigureCountries:
		return "Countries of those cities."
	case models.FigureActiveCities:
		return "Cities with at least one held event or published story in the period."
	case models.FigureEventsHeld:
		return "Events with status held starting in the period."
	case models.FigureParticipants:
		return "Sum of participants over those events."
	case models.FigureStoriesPublished:
		return "Published stories submitted in the period."
	case models.FigurePartnersEngaged:
		return "Distinct partners involved in events held in the period."
	}
	return ""
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// apiDescription serves the OpenAPI document.
func (h *Handler) apiDescription(c echo.Context) error {
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.JSON(http.StatusOK, openAPI())
}
