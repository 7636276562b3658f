package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestCrossSiteRequestsRefusedEvenWithToken: a state-changing request a
// browser marks cross-site, or whose Origin is not the site's, is refused
// even with a valid CSRF token.
func TestCrossSiteRequestsRefusedEvenWithToken(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	token := c.csrfOrFetch(t)
	u, _ := url.Parse(a.srv.URL)
	before := a.countEvents(t)
	for _, tt := range []struct {
		name   string
		header http.Header
	}{
		{"cross-site", http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"foreign origin", http.Header{"Origin": {"https://evil.example"}}},
		{"opaque origin", http.Header{"Origin": {"null"}}},
		{"same host, other port", http.Header{"Origin": {"http://" + u.Hostname() + ":1"}}},
		{"claims same-origin, foreign origin", http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {"https://evil.example"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := a.validEventForm("Cross-site event")
			form.Set("_csrf", token)
			wantStatus(t, c.postRaw(t, "/manage/cities/agadir/events", form, tt.header), http.StatusForbidden)
		})
	}
	if a.countEvents(t) != before {
		t.Fatal("a cross-site request wrote an event")
	}
	form := a.validEventForm("Same-origin event")
	form.Set("_csrf", token)
	wantStatus(t, c.postRaw(t, "/manage/cities/agadir/events", form, http.Header{"Origin": {a.srv.URL}, "Sec-Fetch-Site": {"same-origin"}}), http.StatusSeeOther)
}

// TestCookiesTakeHostPrefixOverTLS: over TLS every cookie is named
// __Host-…, Secure, for the whole site and no other host; a cookie without
// the prefix, which another host or plain HTTP could have planted, is
// ignored.
func TestCookiesTakeHostPrefixOverTLS(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{}, true)
	c := a.client()
	wantStatus(t, c.get(t, "/login"), http.StatusOK)
	res := c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
	wantStatus(t, res, http.StatusSeeOther)
	if len(res.Cookies()) == 0 {
		t.Fatal("login set no cookie")
	}
	for _, ck := range res.Cookies() {
		if !strings.HasPrefix(ck.Name, "__Host-") || !ck.Secure || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("cookie %s: Secure=%v Path=%q Domain=%q, want __Host- prefix, Secure, Path=/, no Domain", ck.Name, ck.Secure, ck.Path, ck.Domain)
		}
	}
	wantStatus(t, c.get(t, "/account"), http.StatusOK)
	wantStatus(t, c.post(t, "/language", url.Values{"lang": {"fr"}}), http.StatusSeeOther)
	if c.cookie("__Host-ltl_lang") != "fr" {
		t.Error("language cookie not set with the prefix")
	}
	// The same session id without the prefix is not believed.
	planted := a.client()
	planted.setCookie("ltl_session", c.cookie("__Host-ltl_session"))
	wantStatus(t, planted.get(t, "/account"), http.StatusSeeOther)
}

// TestManagePagesAreNotStored: every /manage response (CSV downloads of
// partner contacts included) and every signed-in page is Cache-Control:
// no-store, errors and redirects too.
func TestManagePagesAreNotStored(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	e, err := handlers.New(a.store, handlers.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(t, err)
	staff := a.loggedIn(t, "staff@example.org")
	anonymous := a.client()
	replacer := strings.NewReplacer(":slug", "agadir", ":id", "1", ":action", "publish")
	checked := 0
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet || !(strings.HasPrefix(r.Path, "/manage") || r.Path == "/account" || r.Path == "/dashboard") {
			continue
		}
		path := replacer.Replace(r.Path)
		for _, c := range []*client{staff, anonymous} {
			res := c.get(t, path)
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("GET %s (status %d): Cache-Control = %q, want no-store", path, res.StatusCode, cc)
			}
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("checked %d routes; the route table has more", checked)
	}
}

// TestFeedLinksComeFromBaseURL: absolute links in feeds use the configured
// base URL, never the Host header a client sent.
func TestFeedLinksComeFromBaseURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, base, want string
	}{
		{"configured", "https://tracker.example.org/", "https://tracker.example.org/stories/feed.atom"},
		{"default", "", "http://localhost/stories/feed.atom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := newAppWith(t, handlers.Config{BaseURL: tt.base}, false)
			for _, path := range []string{"/stories/feed.atom", "/cities/agadir/stories.atom"} {
				req, err := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
				must(t, err)
				req.Host = "evil.example"
				res := a.client().do(t, req)
				wantStatus(t, res, http.StatusOK)
				if strings.Contains(res.body, "evil.example") {
					t.Errorf("%s links to the Host header's host:\n%s", path, res.body)
				}
				if path == "/stories/feed.atom" && !strings.Contains(res.body, `href="`+tt.want+`"`) {
					t.Errorf("%s lacks a self link to %s:\n%s", path, tt.want, res.body)
				}
			}
		})
	}
}

// TestErrorPagesCarryAWorkingCSRFToken: the language form of an error page
// works, whatever refused the request.
func TestErrorPagesCarryAWorkingCSRFToken(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tt := range []struct {
		name   string
		status int
		send   func(c *client) *response
	}{
		{"not found", http.StatusNotFound, func(c *client) *response { return c.get(t, "/no-such-page") }},
		{"bad text", http.StatusBadRequest, func(c *client) *response { return c.get(t, "/cities?q=%00") }},
		{"missing token", http.StatusForbidden, func(c *client) *response {
			return c.postRaw(t, "/language", url.Values{"lang": {"es"}}, nil)
		}},
		{"missing token, cookie kept", http.StatusForbidden, func(c *client) *response {
			c.csrfOrFetch(t)
			return c.postRaw(t, "/language", url.Values{"lang": {"es"}}, nil)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := a.client()
			res := tt.send(c)
			wantStatus(t, res, tt.status)
			token, _ := res.doc(t).Find("[data-testid=language-form] input[name=_csrf]").Attr("value")
			if token == "" {
				t.Fatal("the error page's language form has no token")
			}
			res = c.postRaw(t, "/language", url.Values{"lang": {"fr"}, "next": {"/cities"}, "_csrf": {token}}, nil)
			wantStatus(t, res, http.StatusSeeOther)
		})
	}
}

// TestOversizedChunkedBodyIs413: a body without a length that runs past
// the limit gets 413, not 400.
func TestOversizedChunkedBodyIs413(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	token := c.csrfOrFetch(t)
	body := "_csrf=" + token + "&email=x%40example.org&password=" + strings.Repeat("x", 2<<20)
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/login", io.MultiReader(strings.NewReader(body)))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := c.do(t, req)
	if len(res.TransferEncoding) == 0 && res.Request.ContentLength > 0 {
		t.Fatal("the request was not sent chunked")
	}
	wantStatus(t, res, http.StatusRequestEntityTooLarge)

	// A story's multipart form, far past its own limit.
	var form strings.Builder
	form.WriteString("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n")
	form.WriteString("--b\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n" + strings.Repeat("x", 25<<20) + "\r\n--b--\r\n")
	req, err = http.NewRequest(http.MethodPost, a.srv.URL+"/stories", io.MultiReader(strings.NewReader(form.String())))
	must(t, err)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	wantStatus(t, c.do(t, req), http.StatusRequestEntityTooLarge)
}

// TestHSTSOnlyOverTLS: Strict-Transport-Security is sent only when the
// request came over TLS, directly or through a trusted proxy.
func TestHSTSOnlyOverTLS(t *testing.T) {
	t.Parallel()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	https := http.Header{"X-Forwarded-Proto": {"https"}}
	for _, tt := range []struct {
		name   string
		cfg    handlers.Config
		tls    bool
		header http.Header
		want   bool
	}{
		{"plain HTTP", handlers.Config{}, false, nil, false},
		{"spoofed X-Forwarded-Proto", handlers.Config{}, false, https, false},
		{"TLS", handlers.Config{}, true, nil, true},
		{"trusted proxy says https", handlers.Config{TrustedProxies: []*net.IPNet{loopback}}, false, https, true},
		{"trusted proxy, plain HTTP", handlers.Config{TrustedProxies: []*net.IPNet{loopback}}, false, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := newAppWith(t, tt.cfg, tt.tls)
			req, err := http.NewRequest(http.MethodGet, a.srv.URL+"/", nil)
			must(t, err)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			res := a.client().do(t, req)
			if got := res.Header.Get("Strict-Transport-Security") != ""; got != tt.want {
				t.Errorf("HSTS sent = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAPIBadTextNamesTheField: the API's 400 for a query value that is not
// text names the parameter, as for any other bad value.
func TestAPIBadTextNamesTheField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for param, path := range map[string]string{"city": "/api/v1/report?city=%00", "country": "/api/v1/report?country=%C0"} {
		res := a.client().get(t, path)
		wantStatus(t, res, http.StatusBadRequest)
		var body map[string]string
		if err := json.Unmarshal([]byte(res.body), &body); err != nil {
			t.Fatalf("%s: not JSON: %s", path, res.body)
		}
		if body["field"] != param || !strings.Contains(body["error"], param) {
			t.Errorf("%s: body = %s, want an error naming %s", path, res.body, param)
		}
	}
}

// TestRequestLogHidesSecretLinks: the request log names the paths of
// invitation and password-reset links, and of an import's status,
// without their tokens, for valid links and mistyped ones alike
// (issue 25, item 7).
func TestRequestLogHidesSecretLinks(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	var invitation, reset string
	_, err := a.store.InviteUser(ctx, models.CLIActor(), models.Invitation{
		Email: "logged@example.org", Name: "Logged", Role: models.RoleCoordinator, CityIDs: []uint{a.agadir.ID}, Language: "en",
	}, func(u *models.User, token string) (models.Mail, error) {
		invitation = token
		return models.Mail{To: u.Email, Kind: models.MailInvitation, Lang: "en", Subject: "Invitation", Text: "Link."}, nil
	})
	must(t, err)
	must(t, a.store.RequestPasswordReset(ctx, "fez@example.org", "192.0.2.1", func(u *models.User, token string) (models.Mail, error) {
		reset = token
		return models.Mail{To: u.Email, Kind: models.MailReset, Lang: "en", Subject: "Reset", Text: "Link."}, nil
	}))
	if invitation == "" || reset == "" {
		t.Fatal("no tokens")
	}
	var logs lockedBuffer
	cat, err := catalog()
	must(t, err)
	e, err := handlers.New(a.store, handlers.Config{Catalog: cat}, slog.New(slog.NewTextHandler(&logs, nil)))
	must(t, err)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	b := *a
	b.srv = srv
	c := b.client()
	wantStatus(t, c.get(t, "/invitations/"+invitation), http.StatusOK)
	wantStatus(t, c.get(t, "/password-reset/"+reset), http.StatusOK)
	wantStatus(t, c.get(t, "/invitations/"+invitation+"/"), http.StatusNotFound)
	wantStatus(t, c.get(t, "/manage/cities/agadir/import/status/"+reset), http.StatusSeeOther)
	srv.Close() // waits for the requests, and their log lines
	out := logs.String()
	for _, token := range []string{invitation, reset} {
		if strings.Contains(out, token) {
			t.Errorf("the log holds a token:\n%s", out)
		}
	}
	for _, path := range []string{"path=/invitations/:token", "path=/password-reset/:token", "path=/manage/cities/agadir/import/status/:token"} {
		if !strings.Contains(out, path) {
			t.Errorf("the log does not name %s:\n%s", path, out)
		}
	}
}

// lockedBuffer is a buffer that several goroutines may write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
