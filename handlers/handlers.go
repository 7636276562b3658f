// Package handlers serves the tracker over HTTP: the route table, its
// middleware and one file of handlers per resource.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/photo"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// Config holds the settings the HTTP layer needs.
type Config struct {
	// TrustedProxies are the networks whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed. Empty: none, the peer address
	// is the client.
	TrustedProxies []*net.IPNet
	// SecureCookies forces the Secure flag on cookies even over plain HTTP
	// (for a TLS proxy that does not send X-Forwarded-Proto).
	SecureCookies bool
	// BaseURL is the site's public address, for absolute links (feeds,
	// mails) and as the site's own origin; never taken from a request's
	// Host header. Empty means http://localhost.
	BaseURL string
	// MailToFiles says mails are written as files, not sent over SMTP:
	// staff may then read their bodies at /manage/outbox, but another
	// person's invitation or reset link only masked (the demo follows an
	// invitation from the .eml file). With SMTP, bodies leave the database
	// once sent.
	MailToFiles bool
	// RequireStaffTwoFactor sends staff without two-factor sign-in to turn
	// it on before anything else, and keeps them from turning it off.
	RequireStaffTwoFactor bool
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// PhotoDecodes is how many honest phone photos may be decoded at once
	// (0: 2): photos are decoded together while the memory they need, read
	// from their headers, adds up to PhotoDecodes × photo.DecodeShare;
	// PhotoWait how long a photo waits for its turn before the learner is
	// asked to send again (0: 5 s).
	PhotoDecodes int
	PhotoWait    time.Duration
	// SheetReads is how many uploaded spreadsheets may be read at once (0:
	// 2); SheetWait how long one waits for its turn before the user is
	// asked to send it again (0: 3 s).
	SheetReads int
	SheetWait  time.Duration
	// Deadline bounds the work of one request (0: 30 s). A story's clock
	// starts once its body has arrived, so a slow phone link is not cut.
	Deadline time.Duration
	// ImportHold, when set, is called by each confirmed import's background
	// run before it starts: the tests hold an import there to see it run.
	ImportHold func()
	// AfterAnswerHold, when set, is called by each piece of work left for
	// after a request's answer (afterAnswer) before it starts: the tests
	// hold it there to see the answer come first.
	AfterAnswerHold func()
	// Background, when set, counts the work a request leaves running after
	// its answer (confirmed imports, a reset link's mail), so that a server
	// that stops can wait for it rather than roll it back.
	Background *sync.WaitGroup
	// Catalog holds the translations; nil: New loads the embedded ones.
	Catalog *views.Catalog
}

// Handler holds what every handler needs: the store, the report engine,
// the sessions, the translations, the settings and the logger.
type Handler struct {
	store    *store.Store
	reports  *report.Engine
	sessions *scs.SessionManager
	catalog  *views.Catalog
	cfg      Config
	log      *slog.Logger
	photos   *photo.Gate
	sheets   *importer.Gate
	mail     views.Mailer
	// charts keeps the PNG charts drawn lately, by the hash of their SVG.
	charts *lru.Cache[[32]byte, []byte]
	// imports are the confirmed imports running on this server.
	imports *importRuns
}

// New builds the web application: middleware, static files and the whole
// route table, grouped by who may use each route.
func New(st *store.Store, cfg Config, log *slog.Logger) (*echo.Echo, error) {
	catalog := cfg.Catalog
	if catalog == nil {
		var err error
		if catalog, err = views.NewCatalog(); err != nil {
			return nil, fmt.Errorf("load translations: %w", err)
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base, err := baseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = base
	sm := scs.New()
	sm.Store = st.Sessions()
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "ltl_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session", "err", err, "path", loggedPath(r.URL.Path))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
	if cfg.PhotoDecodes <= 0 {
		cfg.PhotoDecodes = 2
	}
	if cfg.PhotoWait <= 0 {
		cfg.PhotoWait = 5 * time.Second
	}
	if cfg.SheetReads <= 0 {
		cfg.SheetReads = 2
	}
	if cfg.SheetWait <= 0 {
		cfg.SheetWait = 3 * time.Second
	}
	if cfg.Deadline <= 0 {
		cfg.Deadline = 30 * time.Second
	}
	charts, err := lru.New[[32]byte, []byte](64) // a map is 240 KB
	if err != nil {
		return nil, err
	}
	h := &Handler{store: st, reports: report.New(st), sessions: sm, catalog: catalog, cfg: cfg, log: log,
		photos: photo.NewGate(cfg.PhotoDecodes, cfg.PhotoWait), sheets: importer.NewGate(cfg.SheetReads, cfg.SheetWait), charts: charts, mail: views.Mailer{Catalog: catalog, BaseURL: base},
		imports: newImportRuns()}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	// The scheme, which decides HSTS among others, is https only over TLS,
	// directly or through a trusted proxy: Echo would otherwise believe
	// X-Forwarded-Proto from any private or loopback address.
	e.SchemeExtractor = func(r *http.Request) string {
		if h.viaTLS(r) {
			return "https"
		}
		return "http"
	}

	e.Pre(runAfterAnswer)
	e.Pre(h.secureCookies)
	e.Use(middleware.RequestLoggerWithConfig(h.requestLogConfig()))
	// Pages, feeds and data are compressed; static files come compressed
	// already, photos are JPEG, charts PNG and workbooks zipped. The CSRF token in pages is masked afresh
	// in every response (maskToken), so compression cannot leak it
	// (BREACH).
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     1,
		MinLength: 1024,
		Skipper: func(c echo.Context) bool {
			p := c.Path()
			// A reset request's answer carries its length, so that it is
			// whole once flushed (runAfterAnswer).
			if p == "/password-reset" && c.Request().Method == http.MethodPost {
				return true
			}
			return strings.HasPrefix(p, "/static") || p == "/stories/:id/photo" || strings.HasSuffix(p, ".png") || strings.HasSuffix(p, ".xlsx")
		},
	}))
	e.Use(securityHeaders())
	e.Use(echo.WrapMiddleware(sm.LoadAndSave))
	// Errors are turned into responses inside the session middleware, so
	// that error pages see the session and its cookie is written once.
	e.Use(h.respondToErrors)
	e.Use(middleware.Recover())
	// Who is signed in is known before any body is read (the session
	// needs none), and a route for signed-in users refuses everyone else
	// then: only the public story form takes a large body from anyone.
	e.Use(h.loadUser)
	e.Use(h.refuseBeforeBody)
	// Bodies are small, but for the story form, which may carry a photo,
	// and a signed-in user's spreadsheet import. The limits apply before
	// the CSRF check reads the form.
	isStoryPost := func(c echo.Context) bool { return c.Path() == "/stories" && c.Request().Method == http.MethodPost }
	isUpload := func(c echo.Context) bool { return isImportPost(c) && currentUser(c) != nil }
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1M", Skipper: func(c echo.Context) bool { return isStoryPost(c) || isUpload(c) }}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: importBodyLimit, Skipper: func(c echo.Context) bool { return !isUpload(c) },
	}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: storyBodyLimit, Skipper: func(c echo.Context) bool { return !isStoryPost(c) },
	}))
	e.Use(rejectBadText)
	// Every request has a deadline, and the database work under it uses the
	// request's context: a client that has gone away stops its queries.
	// The story form's deadline starts in its handler, once the photo is in.
	e.Use(withDeadline(cfg.Deadline, isStoryPost))
	e.Use(h.csrfProtection())

	e.GET("/static/*", h.staticFile)
	e.GET("/healthz", h.healthz)

	// Public: open data and reports (aggregates only).
	e.GET("/api/v1/report", h.apiReport)
	e.GET("/api/v1/openapi.json", h.apiDescription)
	e.GET("/api/v1/dictionary", h.apiDictionary)
	e.GET("/reports", h.showReports)
	e.GET("/reports/export.csv", h.exportReport)
	e.GET("/reports/document", h.reportDocument)
	// The network's annual report (issue 14): each breakdown as CSV, all
	// of them as one workbook, each chart as SVG and PNG.
	for _, bd := range models.AllBreakdowns() {
		e.GET("/reports/"+bd.Key+".csv", h.exportBreakdown)
	}
	e.GET("/reports/export.xlsx", h.exportWorkbook)
	for _, name := range views.ChartNames() {
		e.GET("/reports/charts/"+name+".svg", h.chartSVG)
		e.GET("/reports/charts/"+name+".png", h.chartPNG)
	}

	// Public: the campaign, the cities, learners' stories, the calendar.
	e.GET("/", h.home)
	e.GET("/cities", h.listCities)
	e.GET("/cities/:slug", h.showCity)
	e.GET("/cities/:slug/stories.atom", h.cityStoriesFeed)
	e.GET("/cities/:slug/calendar.ics", h.cityCalendarFeed)
	e.GET("/stories", h.listStories)
	e.GET("/stories/new", h.newStory)
	e.POST("/stories", h.createStory)
	e.GET("/stories/thanks", h.storyThanks)
	e.GET("/stories/status", h.storyStatusForm)
	e.POST("/stories/status", h.storyStatus)
	e.POST("/stories/withdraw", h.withdrawStory)
	e.POST("/stories/edit", h.resubmitForm)
	e.POST("/stories/resubmit", h.resubmitStory)
	e.GET("/stories/feed.atom", h.storiesFeed)
	e.GET("/stories/:id", h.showStory)
	e.GET("/stories/:id/photo", h.storyPhoto)
	e.GET("/campaigns/:slug", h.showCampaign)
	e.GET("/calendar", h.showCalendar)
	e.GET("/calendar.ics", h.networkCalendarFeed)
	e.GET("/events/:id", h.showEvent)
	e.GET("/events/:id/event.ics", h.eventCalendar)
	e.POST("/language", h.chooseLanguage)
	e.GET("/help", h.helpIndex)
	e.GET("/help/:topic", h.showHelp)

	// Public: signing in, and the single-use links of invitations and
	// password resets (issue 12), never stored by a cache.
	e.GET("/login", h.showLogin)
	e.POST("/login", h.login)
	e.POST("/logout", h.logout)
	e.GET("/login/two-factor", h.showLoginCode, noStore)
	e.POST("/login/two-factor", h.loginCode, noStore)
	e.GET("/invitations/:token", h.showTokenForm(models.TokenInvitation), noStore)
	e.POST("/invitations/:token", h.useToken(models.TokenInvitation), noStore)
	e.GET("/password-reset/:token", h.showTokenForm(models.TokenReset), noStore)
	e.POST("/password-reset/:token", h.useToken(models.TokenReset), noStore)
	e.GET("/password-reset", h.showForgotPassword, noStore)
	e.POST("/password-reset", h.forgotPassword, noStore)

	// Signed in: one's own account and dashboard.
	e.GET("/account", h.showAccount, noStore, h.requireLogin)
	e.POST("/account/password", h.changePassword, noStore, h.requireLogin)
	e.POST("/account/sign-out-everywhere", h.signOutEverywhere, noStore, h.requireLogin)
	e.POST("/account/notifications", h.saveNotifications, noStore, h.requireLogin)
	e.POST("/account/mail-language", h.saveMailLanguage, noStore, h.requireLogin)
	e.GET("/dashboard", h.dashboard, noStore, h.requireLogin)

	// Coordinators, for their own cities (staff for all). Every handler
	// below that takes a city or a record goes through a helper of
	// access.go (cityFor, eventFor, partnerFor, storyFor, cityReportFor),
	// where access to its city is checked.
	manage := e.Group("/manage", noStore, h.requireLogin)
	manage.GET("/stories", h.listModeration)
	manage.POST("/stories/publish", h.publishSelected)
	manage.GET("/stories/:id", h.showModeration)
	manage.POST("/stories/:id/edit", h.editStory)
	manage.POST("/stories/:id/:action", h.moderateStory)
	manage.GET("/city-reports", h.listCityReports)
	manage.POST("/city-reports", h.startCityReport)
	manage.GET("/city-reports/:id", h.showCityReport)
	manage.POST("/city-reports/:id", h.saveCityReport)
	manage.POST("/city-reports/:id/submit", h.submitCityReport)
	manage.GET("/city-reports/:id/print", h.printCityReport)
	manage.GET("/cities/:slug/events.csv", h.exportEvents)
	manage.GET("/cities/:slug/partners.csv", h.exportPartners)
	manage.GET("/cities/:slug/stories.csv", h.exportStories)
	manage.GET("/cities/:slug/events", h.listEvents)
	manage.GET("/cities/:slug/events/new", h.newEvent)
	manage.POST("/cities/:slug/events", h.createEvent)
	manage.GET("/events/:id/edit", h.editEvent)
	manage.POST("/events/:id", h.updateEvent)
	manage.GET("/events/:id/delete", h.confirmDeleteEvent)
	manage.POST("/events/:id/delete", h.deleteEvent)
	manage.GET("/cities/:slug/partners", h.listPartners)
	manage.GET("/cities/:slug/partners/new", h.newPartner)
	manage.POST("/cities/:slug/partners", h.createPartner)
	manage.GET("/partners/:id/edit", h.editPartner)
	manage.POST("/partners/:id", h.updatePartner)
	manage.GET("/partners/:id/delete", h.confirmDeletePartner)
	manage.POST("/partners/:id/delete", h.deletePartner)
	// Bulk entry (issue 13): importing events and partners from a
	// spreadsheet, checked and previewed before it is confirmed; an
	// event duplicated; many events' attendance at once.
	manage.GET("/cities/:slug/import", h.showImport)
	manage.GET("/cities/:slug/import/template", h.importTemplate)
	manage.POST("/cities/:slug/import", h.previewImport)
	manage.POST("/cities/:slug/import/confirm", h.confirmImport)
	manage.GET("/cities/:slug/import/status/:token", h.showImportStatus)
	manage.GET("/events/:id/duplicate", h.duplicateEvent)
	manage.GET("/cities/:slug/attendance", h.showAttendance)
	manage.POST("/cities/:slug/attendance", h.saveAttendance)
	// A new coordinator's first steps (issue 33): their city's page is right.
	manage.POST("/cities/:slug/checked", h.checkCityPage)

	// UNESCO staff only: the network's cities, reports, campaigns, global
	// days, cohorts, people, mail and audit log, under /manage too; and
	// staff's two-factor sign-in.
	staff := h.requireStaff
	manage.GET("/cities", h.listManageCities, staff)
	manage.GET("/cities/new", h.newCity, staff)
	manage.POST("/cities", h.createCity, staff)
	manage.GET("/cities/:slug/edit", h.editCity, staff)
	manage.POST("/cities/:slug", h.updateCity, staff)
	manage.GET("/cohort-import", h.newCohortImport, staff)
	manage.GET("/cohort-import/template", h.cohortTemplate, staff)
	manage.POST("/cohort-import", h.previewCohortImport, staff)
	manage.POST("/cohort-import/confirm", h.confirmCohortImport, staff)
	manage.GET("/city-reports/network", h.networkCityReports, staff)
	manage.GET("/city-reports/network.csv", h.networkCityReportsCSV, staff)
	manage.GET("/city-reports/network.xlsx", h.networkWorkbook, staff)
	manage.GET("/city-reports/network/document", h.networkNarrativesDocument, staff)
	manage.GET("/city-reports/network/self-assessment", h.networkSelfAssessment, staff)
	manage.POST("/city-reports/network/remind", h.remindCity, staff)
	manage.POST("/city-reports/:id/review", h.reviewCityReport, staff)
	manage.GET("/campaigns", h.listManageCampaigns, staff)
	manage.GET("/campaigns/new", h.newCampaign, staff)
	manage.POST("/campaigns", h.createCampaign, staff)
	manage.GET("/campaigns/:id/edit", h.editCampaign, staff)
	manage.POST("/campaigns/:id", h.updateCampaign, staff)
	manage.POST("/campaigns/:id/archive", h.archiveCampaign, staff)
	manage.GET("/global-days", h.listGlobalDays, staff)
	manage.GET("/global-days/new", h.newGlobalDay, staff)
	manage.POST("/global-days", h.createGlobalDay, staff)
	manage.GET("/global-days/:id/edit", h.editGlobalDay, staff)
	manage.POST("/global-days/:id", h.updateGlobalDay, staff)
	manage.POST("/global-days/:id/delete", h.deleteGlobalDay, staff)
	manage.GET("/document-introduction", h.editDocumentIntro, staff)
	manage.POST("/document-introduction", h.saveDocumentIntro, staff)
	manage.GET("/users", h.listUsers, staff)
	manage.GET("/users/new", h.newUser, staff)
	manage.POST("/users", h.inviteUser, staff)
	manage.GET("/users/:id", h.showUser, staff)
	manage.POST("/users/:id/cities", h.updateUserCities, staff)
	manage.POST("/users/:id/link", h.newInvitationLink, staff)
	manage.POST("/users/:id/:action", h.userAction, staff)
	manage.GET("/outbox", h.listOutbox, staff)
	manage.GET("/outbox/:id", h.showOutboxMessage, staff)
	manage.GET("/audit", h.listAudit, staff)
	e.GET("/account/two-factor", h.showTwoFactor, noStore, h.requireLogin, staff)
	e.POST("/account/two-factor", h.enableTwoFactor, noStore, h.requireLogin, staff)
	e.GET(views.TwoFactorQRPath, h.twoFactorQR, noStore, h.requireLogin, staff)
	e.POST("/account/two-factor/disable", h.disableTwoFactor, noStore, h.requireLogin, staff)
	return e, nil
}

// baseURL checks and normalises the site's public address: an absolute
// http or https URL, without a trailing slash.
func baseURL(s string) (string, error) {
	if s == "" {
		return "http://localhost", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q: want an absolute http:// or https:// address such as https://tracker.example.org", s)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// healthz answers 200 when the database answers, 503 when not.
func (h *Handler) healthz(c echo.Context) error {
	if err := h.store.Ping(c.Request().Context()); err != nil {
		h.log.Error("health check", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// afterAnswerKey holds the work a request leaves for after its answer.
const afterAnswerKey = "after_answer"

// afterAnswer leaves work for after the answer: runAfterAnswer starts it
// once the answer is out, on a context of its own bounded by 30 s,
// counted in Background so that a server that stops waits for it. Its
// error is logged: the answer is gone.
func (h *Handler) afterAnswer(c echo.Context, what string, work func(context.Context) error) {
	if h.cfg.Background != nil {
		h.cfg.Background.Add(1)
	}
	run := func() {
		if h.cfg.Background != nil {
			defer h.cfg.Background.Done()
		}
		if h.cfg.AfterAnswerHold != nil {
			h.cfg.AfterAnswerHold()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := work(ctx); err != nil {
			h.log.Error(what, "err", err)
		}
	}
	list, _ := c.Get(afterAnswerKey).([]func())
	c.Set(afterAnswerKey, append(list, run))
}

// afterAnswerDelay is how long after its answer is flushed a request's
// left work starts: long enough for the answer to be on its way (through
// a proxy on the same machine too), whose time the work would otherwise
// lengthen by competing for the processor (on 2 cores, a known address's
// reset answered 0.3 ms later in 2 pairs of 3 with the work started at
// the flush; the same as an unknown one with it started 20 ms later).
const afterAnswerDelay = 20 * time.Millisecond

// runAfterAnswer, outside every other middleware, starts the work the
// request left for after its answer (afterAnswer) once the answer, whole
// by then, has been flushed to the connection, and afterAnswerDelay more.
func runAfterAnswer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		w := c.Response().Writer
		err := next(c)
		list, _ := c.Get(afterAnswerKey).([]func())
		if len(list) == 0 {
			return err
		}
		if f, ok := w.(http.Flusher); ok && err == nil {
			f.Flush()
		}
		for _, run := range list {
			time.AfterFunc(afterAnswerDelay, run)
		}
		return err
	}
}
