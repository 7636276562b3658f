package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

const password = "a long password"

// app is the real application on a real HTTP server with a fresh SQLite
// file holding a small network: Agadir and Fez, a coordinator of each,
// staff, a partner and an event per city.
type app struct {
	e           *echo.Echo
	srv         *httptest.Server
	store       *store.Store
	reports     *report.Engine
	dsn         string
	photoDir    string
	agadir, fez *models.City
	agadirEvent *models.Event
	fezEvent    *models.Event
	agadirPart  *models.Partner
	fezPart     *models.Partner
	campaign    *models.Campaign
	// background counts the work requests leave running (a reset link's
	// mail is written after the answer).
	background *sync.WaitGroup
}

// settle waits for the work requests left running.
func (a *app) settle() { a.background.Wait() }

func newApp(t testing.TB) *app {
	return newAppWith(t, handlers.Config{}, false)
}

// testSecretKey seals the two-factor secrets of the tests' stores.
var testSecretKey = []byte("0123456789abcdef0123456789abcdef")

func newAppWith(t testing.TB, cfg handlers.Config, tls bool) *app {
	t.Helper()
	ctx := context.Background()
	dsn, photos := storetest.MigratedDSN(t)
	st, err := store.Open(dsn, photos, store.WithBcryptCost(bcrypt.MinCost), store.WithSecretKeys(testSecretKey, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := &app{store: st, reports: report.New(st), dsn: dsn, photoDir: photos}
	cli := models.CLIActor()
	a.campaign = &models.Campaign{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, st.CreateCampaign(ctx, a.campaign))
	a.agadir = &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024, CoLead: true}
	must(t, st.CreateCity(ctx, cli, a.agadir, nil))
	a.fez = &models.City{Name: "Fez", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024, CoLead: true}
	must(t, st.CreateCity(ctx, cli, a.fez, nil))
	for _, nu := range []models.NewUser{
		{Email: "staff@example.org", Name: "Staff Member", Role: models.RoleStaff},
		{Email: "agadir@example.org", Name: "Agadir Coordinator", Role: models.RoleCoordinator, CityIDs: []uint{a.agadir.ID}},
		{Email: "fez@example.org", Name: "Fez Coordinator", Role: models.RoleCoordinator, CityIDs: []uint{a.fez.ID}},
	} {
		nu.Password = password
		_, err := st.CreateUser(ctx, cli, nu)
		must(t, err)
	}
	a.agadirPart = &models.Partner{CityID: a.agadir.ID, Name: "Agadir Library", Sector: models.SectorCultural, ContactName: "Hassan", ContactEmail: "hassan@library.example", Active: true}
	must(t, st.CreatePartner(ctx, cli, a.agadirPart))
	a.fezPart = &models.Partner{CityID: a.fez.ID, Name: "Fez University", Sector: models.SectorEducation, ContactName: "Leila", ContactEmail: "leila@fez-univ.example", Active: true}
	must(t, st.CreatePartner(ctx, cli, a.fezPart))
	a.agadirEvent = a.newEvent(t, a.agadir, a.agadirPart, "Agadir reading afternoon")
	a.fezEvent = a.newEvent(t, a.fez, a.fezPart, "Fez coding club")

	a.serve(t, cfg, tls)
	return a
}

// catalog is the translations, loaded once for every test app.
var catalog = sync.OnceValues(views.NewCatalog)

// serve starts the real application on a test server, its store writing
// the mails of changes as tracker serve wires it.
func (a *app) serve(t testing.TB, cfg handlers.Config, tls bool) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cat, err := catalog()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Catalog = cat
	if cfg.Deadline == 0 {
		// Tests share two cores under the race detector: a phone photo's
		// decoding took over the 30 s default there. The deadline has its
		// own test (TestRequestsHaveADeadline).
		cfg.Deadline = 5 * time.Minute
	}
	if cfg.Background == nil {
		cfg.Background = new(sync.WaitGroup)
	}
	// The work a request leaves running ends before the store closes.
	a.background = cfg.Background
	t.Cleanup(a.background.Wait)
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	if base == "" {
		base = "http://localhost"
	}
	a.store.SetNotifier(views.Mailer{Catalog: cat, BaseURL: base})
	e, err := handlers.New(a.store, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	a.e = e
	if tls {
		a.srv = httptest.NewTLSServer(e)
	} else {
		a.srv = httptest.NewServer(e)
	}
	t.Cleanup(a.srv.Close)
}

// route is the pattern of the route that serves method and path (query
// left out), and its parameters, as the application's router finds them.
func (a *app) route(method, path string) (string, map[string]string) {
	path, _, _ = strings.Cut(path, "?")
	c := a.e.NewContext(nil, nil)
	a.e.Router().Find(method, path, c)
	params := map[string]string{}
	for _, name := range c.ParamNames() {
		params[name] = c.Param(name)
	}
	return c.Path(), params
}

// restarted is the same database served by a new application.
func (a *app) restarted(t testing.TB) *app {
	b := *a
	b.serve(t, handlers.Config{}, false)
	return &b
}

// newEvent stores a held event of city with partner.
func (a *app) newEvent(t testing.TB, city *models.City, p *models.Partner, title string) *models.Event {
	start := time.Now().UTC().Add(-72 * time.Hour).Truncate(time.Minute)
	n := 25
	e := &models.Event{
		CityID: city.ID, CampaignID: a.campaign.ID, Title: title, StartsAt: start, EndsAt: start.Add(time.Hour),
		Format: models.FormatInPerson, Status: models.StatusHeld, Participants: &n,
		LearningAreas: []models.LearningArea{models.AreaFamilies}, PartnerIDs: []uint{p.ID},
	}
	must(t, a.store.CreateEvent(context.Background(), models.CLIActor(), e))
	return e
}

// addPartner stores another active partner of a city and returns its id.
func (a *app) addPartner(t testing.TB, cityID uint, name string) uint {
	t.Helper()
	p := &models.Partner{CityID: cityID, Name: name, Sector: models.SectorMedia, Active: true}
	must(t, a.store.CreatePartner(context.Background(), models.CLIActor(), p))
	return p.ID
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	app  *app
	http *http.Client
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	// srv.Client() is shared: each browser gets its own client on its transport.
	hc := &http.Client{
		Transport:     a.srv.Client().Transport,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &client{app: a, http: hc}
}

// loggedIn is a client signed in as email.
func (a *app) loggedIn(t testing.TB, email string) *client {
	c := a.client()
	res := c.post(t, "/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d: %s", email, res.StatusCode, res.body)
	}
	return c
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

// doc parses the body as HTML.
func (r *response) doc(t testing.TB) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (c *client) do(t testing.TB, req *http.Request) *response {
	t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{Response: res, body: string(b)}
}

func (c *client) get(t testing.TB, path string) *response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.do(t, req)
}

// post sends a form with the client's CSRF token, fetching one first if
// the client has none yet.
func (c *client) post(t testing.TB, path string, form url.Values) *response {
	t.Helper()
	token := c.csrfOrFetch(t)
	v := url.Values{}
	for k, vs := range form {
		v[k] = vs
	}
	if _, set := v["_csrf"]; !set {
		v.Set("_csrf", token)
	}
	return c.postRaw(t, path, v, nil)
}

// postRaw sends a form as it is, with extra headers.
func (c *client) postRaw(t testing.TB, path string, form url.Values, header http.Header) *response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range header {
		req.Header[k] = vs
	}
	return c.do(t, req)
}

// setCookie gives the client a cookie, as a browser would have kept it.
func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.app.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// csrfOrFetch is the client's CSRF token, fetched first if it has none.
func (c *client) csrfOrFetch(t testing.TB) string {
	if c.csrf() == "" {
		c.get(t, "/login")
	}
	return c.csrf()
}

// csrf is the client's CSRF token: the value of its CSRF cookie.
func (c *client) csrf() string {
	return c.cookie("ltl_csrf")
}

// cookie is the value of the client's cookie name, which over TLS is
// named __Host-name.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.app.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name || ck.Name == "__Host-"+name {
			return ck.Value
		}
	}
	return ""
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// countEvents is the number of events in the database.
func (a *app) countEvents(t testing.TB) int64 {
	t.Helper()
	p, err := a.store.Events(context.Background(), models.EventFilter{}, models.Page{Size: 1})
	must(t, err)
	return p.Total
}

// countPartners is the number of partners of both cities.
func (a *app) countPartners(t testing.TB) int64 {
	t.Helper()
	var n int64
	for _, city := range []*models.City{a.agadir, a.fez} {
		p, err := a.store.Partners(context.Background(), models.PartnerFilter{CityID: city.ID}, models.Page{Size: 1})
		must(t, err)
		n += p.Total
	}
	return n
}

// wantStatus fails the test unless the response has status.
func wantStatus(t testing.TB, r *response, status int) {
	t.Helper()
	if r.StatusCode != status {
		body := r.body
		if len(body) > 6000 {
			body = body[:6000]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, body)
	}
}
