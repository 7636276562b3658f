package handlers_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/static"
)

func TestCSRF(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	form := a.validEventForm("Forged event")
	tests := []struct {
		name   string
		token  string
		header http.Header
	}{
		{"no token", "", nil},
		{"wrong token", "not-the-token", nil},
		{"no token, claims same-origin", "", http.Header{"Sec-Fetch-Site": {"same-origin"}}},
		{"no token, claims none", "", http.Header{"Sec-Fetch-Site": {"none"}}},
		{"cross-site", "", http.Header{"Sec-Fetch-Site": {"cross-site"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tt.token != "" {
				f.Set("_csrf", tt.token)
			}
			res := c.postRaw(t, "/manage/cities/agadir/events", f, tt.header)
			wantStatus(t, res, http.StatusForbidden)
			if a.countEvents(t) != before {
				t.Fatal("a request without a valid CSRF token wrote an event")
			}
		})
	}
	// Logout and login are protected too.
	wantStatus(t, c.postRaw(t, "/logout", url.Values{}, nil), http.StatusForbidden)
	wantStatus(t, c.get(t, "/account"), http.StatusOK)
	wantStatus(t, a.client().postRaw(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}, nil), http.StatusForbidden)
	// Every state-changing form carries the token, masked afresh in every
	// response, so a compressed page never shows the same bytes twice.
	seen := map[string]int{}
	for page := range 2 {
		doc := c.get(t, "/manage/cities/agadir/events/new").doc(t)
		doc.Find("form[method=post]").Each(func(_ int, f *goquery.Selection) {
			v, _ := f.Find("input[name=_csrf]").Attr("value")
			action, _ := f.Attr("action")
			if v == "" || unmask(v) != c.csrf() {
				t.Errorf("form %s has CSRF token %q, which does not hide %q", action, v, c.csrf())
			}
			if p, ok := seen[v]; (ok && p != page) || strings.Contains(v, c.csrf()) {
				t.Errorf("form %s shows the token %q as another page did, or in the clear", action, v)
			}
			seen[v] = page
		})
	}
	// The masked token of a page is accepted, and a tampered one is not.
	doc := c.get(t, "/manage/cities/agadir/events/new").doc(t)
	masked, _ := doc.Find("form[method=post] input[name=_csrf]").First().Attr("value")
	// One character in the middle changes (the last ones may carry unused
	// bits, or already read "AA": the test failed once in 256 runs).
	i, swap := len(masked)/2, "A"
	if masked[i] == 'A' {
		swap = "B"
	}
	f := url.Values{"_csrf": {masked[:i] + swap + masked[i+1:]}}
	for k, v := range form {
		f[k] = v
	}
	wantStatus(t, c.postRaw(t, "/manage/cities/agadir/events", f, nil), http.StatusForbidden)
	if a.countEvents(t) != before {
		t.Fatal("a tampered token wrote an event")
	}
	f.Set("_csrf", masked)
	wantStatus(t, c.postRaw(t, "/manage/cities/agadir/events", f, nil), http.StatusSeeOther)
	if a.countEvents(t) != before+1 {
		t.Fatal("the page's own masked token did not write the event")
	}
}

// unmask reads a masked CSRF token as the server does: a one-time pad,
// then the token XOR the pad.
func unmask(v string) string {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(v, "~"))
	if err != nil || !strings.HasPrefix(v, "~") || len(b)%2 != 0 {
		return ""
	}
	n := len(b) / 2
	for i := range n {
		b[n+i] ^= b[i]
	}
	return string(b[n:])
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, path := range []string{"/", "/cities", "/login", "/no-such-page", "/static/css/app.css", "/healthz"} {
		res := a.client().get(t, path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
	}
}

func TestCookieFlags(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, a *app, wantSecure bool) {
		c := a.client()
		c.get(t, "/login")
		res := c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
		wantStatus(t, res, http.StatusSeeOther)
		var sawSession bool
		for _, ck := range res.Cookies() {
			if ck.Name == "ltl_session" || ck.Name == "__Host-ltl_session" {
				sawSession = true
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != wantSecure {
				t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Secure=%v, want Secure=%v", ck.Name, ck.HttpOnly, ck.SameSite, ck.Secure, wantSecure)
			}
		}
		if !sawSession {
			t.Error("login set no session cookie")
		}
	}
	t.Run("plain HTTP", func(t *testing.T) { check(t, newApp(t), false) })
	t.Run("TLS", func(t *testing.T) { check(t, newAppWith(t, handlers.Config{}, true), true) })
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	form := a.validEventForm(strings.Repeat("x", 2<<20))
	res := c.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	if a.countEvents(t) != before {
		t.Fatal("an oversized request wrote an event")
	}
}

func TestBadTextIsRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, path := range []string{"/cities?q=%00", "/cities/%FF", "/cities/a%00b", "/reports?city=%FF", "/api/v1/report?country=%C0"} {
		if res := a.client().get(t, path); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, res.StatusCode)
		}
	}
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	form := a.validEventForm("Nul\x00byte")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusBadRequest)
	form = a.validEventForm("Bad \xff UTF-8")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusBadRequest)
	form = a.validEventForm("Year zero")
	form.Set("starts_at", "0000-03-01T10:00")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusUnprocessableEntity)
	if a.countEvents(t) != before {
		t.Fatal("bad text was written")
	}
	story := validStoryForm()
	story.Set("title", "a\x00b")
	wantStatus(t, a.client().postMultipart(t, "/stories", story, nil), http.StatusBadRequest)
}

// TestRequestsHaveADeadline: work that outlives the request's deadline is
// stopped and answered 503, not left running.
func TestRequestsHaveADeadline(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{Deadline: time.Nanosecond}, false)
	res := a.client().get(t, "/cities")
	wantStatus(t, res, http.StatusServiceUnavailable)
	if res.doc(t).Find("[data-testid=error-page]").Length() != 1 {
		t.Error("no error page")
	}
}

// Pages link to static files under content-hashed names, which are kept
// for a year and come compressed; pages are compressed too.
func TestStaticFilesAreHashedCachedAndCompressed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	gzipGet := func(path string, header http.Header) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
		must(t, err)
		req.Header.Set("Accept-Encoding", "gzip")
		for k, v := range header {
			req.Header[k] = v
		}
		res, err := c.http.Do(req)
		must(t, err)
		defer res.Body.Close()
		var body io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			z, err := gzip.NewReader(res.Body)
			must(t, err)
			body = z
		}
		b, err := io.ReadAll(body)
		must(t, err)
		return res, b
	}

	res, page := gzipGet("/cities", nil)
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("page: Content-Encoding %q, Vary %q: want gzip, Accept-Encoding", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	must(t, err)
	href, _ := doc.Find(`link[rel=stylesheet][href*="app."]`).Attr("href")
	if !regexp.MustCompile(`^/static/css/app\.[0-9a-f]{10}\.css$`).MatchString(href) {
		t.Fatalf("the page links its stylesheet as %q, want a content-hashed name", href)
	}
	want, err := static.Files.ReadFile("css/app.css")
	must(t, err)

	res, body := gzipGet(href, nil)
	wantCode(t, res, http.StatusOK)
	if !bytes.Equal(body, want) || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("hashed stylesheet: encoding %q, %d bytes, want gzip of the %d-byte file", res.Header.Get("Content-Encoding"), len(body), len(want))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("hashed stylesheet: Cache-Control %q, want a year, immutable", cc)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("hashed stylesheet: Content-Type %q", ct)
	}

	// The plain name still answers, checked again on every use.
	res, body = gzipGet("/static/css/app.css", nil)
	wantCode(t, res, http.StatusOK)
	etag := res.Header.Get("ETag")
	if !bytes.Equal(body, want) || !strings.Contains(res.Header.Get("Cache-Control"), "no-cache") || etag == "" {
		t.Errorf("plain name: Cache-Control %q, ETag %q", res.Header.Get("Cache-Control"), etag)
	}
	res, _ = gzipGet("/static/css/app.css", http.Header{"If-None-Match": {etag}})
	wantCode(t, res, http.StatusNotModified)

	// A client that takes Brotli gets it, smaller than gzip; pages stay
	// gzip, which costs a fraction of Brotli's time per response.
	req, err := http.NewRequest(http.MethodGet, a.srv.URL+href, nil)
	must(t, err)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	res, err = c.http.Do(req)
	must(t, err)
	br, err := io.ReadAll(res.Body)
	res.Body.Close()
	must(t, err)
	plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	must(t, err)
	if res.Header.Get("Content-Encoding") != "br" || !bytes.Equal(plain, want) || len(br) >= len(want)/3 {
		t.Errorf("br: encoding %q, %d bytes of a %d-byte file", res.Header.Get("Content-Encoding"), len(br), len(want))
	}
	req, err = http.NewRequest(http.MethodGet, a.srv.URL+"/cities", nil)
	must(t, err)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	res, err = c.http.Do(req)
	must(t, err)
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("page asked for br or gzip: encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}

	// A client that takes no gzip gets the file as it is; images are not
	// compressed again.
	res, body = gzipGet(href, http.Header{"Accept-Encoding": {"gzip;q=0"}})
	if res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, want) {
		t.Errorf("gzip;q=0: encoding %q", res.Header.Get("Content-Encoding"))
	}
	for _, path := range []string{"/static/css/app.0123456789.css", "/static/nothing.css", "/static/../go.mod", "/static/static.go"} {
		res, _ := gzipGet(path, nil)
		wantCode(t, res, http.StatusNotFound)
	}
}

func wantCode(t *testing.T, res *http.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d", res.Request.URL.Path, res.StatusCode, status)
	}
}
