// Package handlers serves the tracker over HTTP: the route table, its
// middleware and one file of handlers per resource.
package handlers

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/static"
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
	// Now tells the time; nil means time.Now.
	Now func() time.Time
}

// Handler holds what every handler needs: the store, the sessions, the
// translations, the settings and the logger.
type Handler struct {
	store    *models.Store
	sessions *scs.SessionManager
	catalog  *views.Catalog
	cfg      Config
	log      *slog.Logger
}

// New builds the web application: middleware, static files and the whole
// route table, grouped by who may use each route.
func New(store *models.Store, cfg Config, log *slog.Logger) (*echo.Echo, error) {
	catalog, err := views.NewCatalog()
	if err != nil {
		return nil, fmt.Errorf("load translations: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	sm := scs.New()
	sm.Store = store.Sessions()
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "ltl_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session", "err", err, "path", r.URL.Path)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
	h := &Handler{store: store, sessions: sm, catalog: catalog, cfg: cfg, log: log}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)

	e.Pre(h.secureCookies)
	e.Use(middleware.RequestLoggerWithConfig(h.requestLogConfig()))
	e.Use(securityHeaders())
	e.Use(echo.WrapMiddleware(sm.LoadAndSave))
	// Errors are turned into responses inside the session middleware, so
	// that error pages see the session and its cookie is written once.
	e.Use(h.respondToErrors)
	e.Use(middleware.Recover())
	// Bodies are small, but for the story form, which may carry a photo.
	// Both limits apply before the CSRF check reads the form.
	isStoryPost := func(c echo.Context) bool { return c.Path() == "/stories" && c.Request().Method == http.MethodPost }
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1M", Skipper: isStoryPost}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit: storyBodyLimit, Skipper: func(c echo.Context) bool { return !isStoryPost(c) },
	}))
	e.Use(csrfProtection())
	e.Use(h.loadUser)

	e.StaticFS("/static", echo.MustSubFS(static.Files, "."))
	e.GET("/healthz", h.healthz)

	// Open data and reports: aggregates only.
	e.GET("/api/v1/report", h.apiReport)
	e.GET("/api/v1/openapi.json", h.apiDescription)
	e.GET("/reports", h.showReports)
	e.GET("/reports/export.csv", h.exportReport)

	// Public pages.
	e.GET("/", h.home)
	e.GET("/cities", h.listCities)
	e.GET("/cities/:slug", h.showCity)
	e.GET("/cities/:slug/stories.atom", h.cityStoriesFeed)
	e.GET("/stories/new", h.newStory)
	e.POST("/stories", h.createStory)
	e.GET("/stories/thanks", h.storyThanks)
	e.GET("/stories/status", h.storyStatusForm)
	e.POST("/stories/status", h.storyStatus)
	e.POST("/stories/withdraw", h.withdrawStory)
	e.GET("/stories/feed.atom", h.storiesFeed)
	e.GET("/stories/:id", h.showStory)
	e.GET("/stories/:id/photo", h.storyPhoto)
	e.GET("/login", h.showLogin)
	e.POST("/login", h.login)
	e.POST("/logout", h.logout)
	e.POST("/language", h.chooseLanguage)

	// Signed-in users: coordinators for their own cities, staff for all.
	// Every handler below that takes a city or a record goes through
	// h.cityFor, h.eventFor, h.partnerFor or h.storyFor, where access is
	// checked.
	user := e.Group("", h.requireLogin)
	user.GET("/account", h.showAccount)
	user.GET("/dashboard", h.dashboard)
	user.GET("/manage/stories", h.listModeration)
	user.GET("/manage/stories/:id", h.showModeration)
	user.POST("/manage/stories/:id/:action", h.moderateStory)
	user.GET("/manage/city-reports", h.listCityReports)
	user.POST("/manage/city-reports", h.startCityReport)
	user.GET("/manage/city-reports/:id", h.showCityReport)
	user.POST("/manage/city-reports/:id", h.saveCityReport)
	user.POST("/manage/city-reports/:id/submit", h.submitCityReport)
	user.POST("/manage/city-reports/:id/review", h.reviewCityReport)
	user.GET("/manage/city-reports/:id/print", h.printCityReport)
	user.GET("/manage/cities/:slug/events.csv", h.exportEvents)
	user.GET("/manage/cities/:slug/partners.csv", h.exportPartners)
	user.GET("/manage/cities/:slug/stories.csv", h.exportStories)
	user.GET("/manage/cities/:slug/events", h.listEvents)
	user.GET("/manage/cities/:slug/events/new", h.newEvent)
	user.POST("/manage/cities/:slug/events", h.createEvent)
	user.GET("/manage/events/:id/edit", h.editEvent)
	user.POST("/manage/events/:id", h.updateEvent)
	user.GET("/manage/events/:id/delete", h.confirmDeleteEvent)
	user.POST("/manage/events/:id/delete", h.deleteEvent)
	user.GET("/manage/cities/:slug/partners", h.listPartners)
	user.GET("/manage/cities/:slug/partners/new", h.newPartner)
	user.POST("/manage/cities/:slug/partners", h.createPartner)
	user.GET("/manage/partners/:id/edit", h.editPartner)
	user.POST("/manage/partners/:id", h.updatePartner)
	user.GET("/manage/partners/:id/delete", h.confirmDeletePartner)
	user.POST("/manage/partners/:id/delete", h.deletePartner)

	// UNESCO staff only.
	staff := e.Group("/manage", h.requireLogin, h.requireStaff)
	staff.GET("/cities", h.listManageCities)
	staff.GET("/cities/new", h.newCity)
	staff.POST("/cities", h.createCity)
	staff.GET("/cities/:slug/edit", h.editCity)
	staff.POST("/cities/:slug", h.updateCity)
	staff.GET("/audit", h.listAudit)
	staff.GET("/city-reports/network", h.networkCityReports)
	staff.GET("/city-reports/network.csv", h.networkCityReportsCSV)

	return e, nil
}

// healthz answers 200 when the database answers, 503 when not.
func (h *Handler) healthz(c echo.Context) error {
	if err := h.store.Ping(c.Request().Context()); err != nil {
		h.log.Error("health check", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
