package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// cityIndex lists the cities' ids and maps each id to its name.
func cityIndex(cities []models.City) ([]uint, map[uint]string) {
	ids := make([]uint, len(cities))
	names := make(map[uint]string, len(cities))
	for i, city := range cities {
		ids[i] = city.ID
		names[city.ID] = city.Name
	}
	return ids, names
}

// cityZones maps city ids to the cities' time zones.
func cityZones(cities []models.City) map[uint]*time.Location {
	zones := make(map[uint]*time.Location, len(cities))
	for _, city := range cities {
		zones[city.ID] = city.Location()
	}
	return zones
}

// listCities is the public directory: search by name or country, filter
// by region.
func (h *Handler) listCities(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	region := models.Region(c.QueryParam("region"))
	if len(q) > 100 {
		return echo.NewHTTPError(http.StatusBadRequest, "search too long")
	}
	if region != "" && !region.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown region")
	}
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{Query: q, Countries: views.CountriesMatching(q, h.catalog.Languages()), Region: region})
	if err != nil {
		return err
	}
	r, err := h.reports.Report(c.Request().Context(), report.Query{Region: region})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.DirectoryView(views.DirectoryPage{Cities: cities, MapRows: r.Breakdowns.ByCity, Query: q, Region: string(region)}))
}

// showCity is a city's public page: upcoming and recent events, partners.
func (h *Handler) showCity(c echo.Context) error {
	ctx := c.Request().Context()
	city, err := h.store.CityBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	upcoming, err := h.store.Events(ctx, models.EventFilter{CityIDs: []uint{city.ID}, Status: models.StatusPlanned, From: now, Sort: "start"}, models.Page{Size: 10, NoTotal: true})
	if err != nil {
		return err
	}
	recent, err := h.store.Events(ctx, models.EventFilter{CityIDs: []uint{city.ID}, Status: models.StatusHeld, To: now}, models.Page{Size: 6, NoTotal: true})
	if err != nil {
		return err
	}
	partners, err := h.store.Partners(ctx, models.PartnerFilter{CityID: city.ID, Active: "yes"}, models.Page{Size: 100})
	if err != nil {
		return err
	}
	page, err := parsePage(c.QueryParam("page"))
	if err != nil {
		return err
	}
	stories, err := h.store.Stories(ctx, models.StoryFilter{CityIDs: []uint{city.ID}, Status: models.StoryPublished}, models.Page{Number: page, Size: 6})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.CityView(views.CityPage{
		City: city, Upcoming: upcoming.Items, Recent: recent.Items, Partners: partners.Items, Stories: stories,
	}))
}

// listManageCities lists every city for staff.
func (h *Handler) listManageCities(c echo.Context) error {
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.ManageCitiesView(cities))
}

// newCity shows the empty city form.
func (h *Handler) newCity(c echo.Context) error {
	return h.renderCityForm(c, http.StatusOK, "", views.CityForm{JoinedYear: strconv.Itoa(h.cfg.Now().Year())}, nil)
}

// createCity stores a new city.
func (h *Handler) createCity(c echo.Context) error {
	var f views.CityForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	city, coordinators, fe := cityFromForm(f)
	err := fe.then(func() error { return city.Validate() },
		func() error {
			return h.store.CreateCity(c.Request().Context(), currentUser(c).Actor(), city, coordinators)
		})
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderCityForm(c, http.StatusUnprocessableEntity, "", f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "manage_cities.created", nil))
	return redirect(c, views.CityManageURL(city))
}

// editCity shows a city's form with its coordinators.
func (h *Handler) editCity(c echo.Context) error {
	ctx := c.Request().Context()
	city, err := h.store.CityBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	ids, err := h.store.CityCoordinatorIDs(ctx, city.ID)
	if err != nil {
		return err
	}
	f := views.CityForm{
		Name: city.Name, Slug: city.Slug, Country: city.Country, Region: string(city.Region),
		JoinedYear: strconv.Itoa(city.JoinedYear), TimeZone: city.TimeZone, CoLead: city.CoLead,
		Latitude: degreesText(city.Latitude), Longitude: degreesText(city.Longitude),
	}
	for _, n := range city.Names {
		f.NameLangs = append(f.NameLangs, n.Lang)
		f.NameValues = append(f.NameValues, n.Name)
	}
	for _, id := range ids {
		f.Coordinators = append(f.Coordinators, strconv.FormatUint(uint64(id), 10))
	}
	return h.renderCityForm(c, http.StatusOK, city.Slug, f, nil)
}

// updateCity saves a city and its coordinators.
func (h *Handler) updateCity(c echo.Context) error {
	ctx := c.Request().Context()
	current, err := h.store.CityBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	var f views.CityForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	city, coordinators, fe := cityFromForm(f)
	city.ID = current.ID
	err = fe.then(func() error { return city.Validate() },
		func() error { return h.store.UpdateCity(ctx, currentUser(c).Actor(), city, coordinators) })
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderCityForm(c, http.StatusUnprocessableEntity, current.Slug, f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "manage_cities.updated", nil))
	return redirect(c, "/manage/cities")
}

func (h *Handler) renderCityForm(c echo.Context, status int, slug string, f views.CityForm, fe models.FieldErrors) error {
	coordinators, err := h.store.Coordinators(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, status, views.CityFormView(views.CityFormPage{Slug: slug, Form: f, Errors: fe, Coordinators: coordinators}))
}

// cityFromForm parses the city form; problems it finds are returned
// beside the city so that they show with the model's own.
func cityFromForm(f views.CityForm) (*models.City, []uint, parseErrors) {
	pe := parseErrors{}
	city := &models.City{
		Name: f.Name, Slug: strings.TrimSpace(f.Slug), Country: f.Country, Region: models.Region(f.Region), CoLead: f.CoLead,
		TimeZone: f.TimeZone,
	}
	city.JoinedYear = pe.int("joined_year", f.JoinedYear, true)
	city.Latitude = pe.degrees("latitude", f.Latitude, 90)
	city.Longitude = pe.degrees("longitude", f.Longitude, 180)
	city.Names = []models.CityName{}
	if len(f.NameLangs) != len(f.NameValues) {
		models.FieldErrors(pe).Add("names", "invalid", "")
	}
	for i := range min(len(f.NameLangs), len(f.NameValues)) {
		// A row left blank is no name.
		if strings.TrimSpace(f.NameLangs[i]) != "" || strings.TrimSpace(f.NameValues[i]) != "" {
			city.Names = append(city.Names, models.CityName{Lang: f.NameLangs[i], Name: f.NameValues[i]})
		}
	}
	return city, pe.ids("coordinators", f.Coordinators), pe
}

// parseErrors collects the problems of turning form strings into values.
type parseErrors models.FieldErrors

// int parses a whole number; empty is 0 (and a problem when required).
func (pe parseErrors) int(field, s string, required bool) int {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			models.FieldErrors(pe).Add(field, "required", "")
		}
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		models.FieldErrors(pe).Add(field, "number", "")
	}
	return n
}

// ids parses record ids; any bad one is a problem.
func (pe parseErrors) ids(field string, ss []string) []uint {
	out := make([]uint, 0, len(ss))
	for _, s := range ss {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil || n == 0 {
			models.FieldErrors(pe).Add(field, "oneof", "")
			continue
		}
		out = append(out, uint(n))
	}
	return out
}

// then runs store when parsing found no problem. Otherwise it writes
// nothing: it runs only validate and returns the problems of both
// together, so that the form shows them all at once.
func (pe parseErrors) then(validate, store func() error) error {
	if len(pe) == 0 {
		return store()
	}
	return pe.merge(validate())
}

// merge returns the parsing problems together with those of err; an err
// that is not about fields is returned as it is.
func (pe parseErrors) merge(err error) error {
	fe, ok := models.AsFieldErrors(err)
	if err != nil && !ok {
		return err
	}
	if !ok {
		fe = models.FieldErrors{}
	}
	// A value that could not be read says more than the model's view of
	// the zero value left in its place ("This is required."), and so does
	// the half of a moment typed as a date and a time (starts_at_date,
	// starts_at_time) for the moment's (starts_at).
	for f, p := range pe {
		fe[f] = p
		for _, half := range []string{"_date", "_time"} {
			if whole, ok := strings.CutSuffix(f, half); ok && fe[whole].Code == "required" {
				delete(fe, whole)
			}
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}
