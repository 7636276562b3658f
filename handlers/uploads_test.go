package handlers_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// multipartBody is a multipart form: fields, then a file part of
// fileField when data is not nil.
func multipartBody(t testing.TB, fields url.Values, fileField, fileName, contentType string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			must(t, w.WriteField(k, v))
		}
	}
	if data != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, fileField, fileName))
		h.Set("Content-Type", contentType)
		part, err := w.CreatePart(h)
		must(t, err)
		_, err = part.Write(data)
		must(t, err)
	}
	must(t, w.Close())
	return &body, w.FormDataContentType()
}

// serveDirect runs req through the application's router, with the
// cookies of c (nil: none), and returns the recorded answer: for the
// requests a server would answer before reading their body, which a test
// client may not see once the server has hung up.
func (a *app) serveDirect(c *client, req *http.Request) *httptest.ResponseRecorder {
	if c != nil {
		u, _ := url.Parse(a.srv.URL)
		for _, ck := range c.http.Jar.Cookies(u) {
			req.AddCookie(ck)
		}
	}
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	return rec
}

// tempFiles counts the entries of dir.
func tempFiles(t testing.TB, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	return len(entries)
}

// useTempDir points os.TempDir, where multipart forms keep their large
// parts, at a new empty folder for the rest of the test, and returns it.
// The test cannot run in parallel with others (t.Setenv).
func useTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	if os.TempDir() != dir {
		t.Fatalf("os.TempDir() = %q, want %q", os.TempDir(), dir)
	}
	return dir
}

// noisyJPEG is a valid JPEG of random pixels, larger than 1 MB: a part
// that size waits on disk while its form is read.
func noisyJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
	}
	var buf bytes.Buffer
	must(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}))
	if buf.Len() <= 1<<20 {
		t.Fatalf("the photo is %d bytes: it would not go to disk", buf.Len())
	}
	return buf.Bytes()
}

// TestRefusedUploadsLeaveNoTempFiles sends 20 uploads with parts over
// 1 MB that are refused, each for another reason, and counts the files
// left in the temporary folder (issue 25, item 1).
func TestRefusedUploadsLeaveNoTempFiles(t *testing.T) {
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	token := co.csrfOrFetch(t)
	anonymous := a.client()
	anonymous.csrfOrFetch(t)
	dir := useTempDir(t)
	big := bytes.Repeat([]byte("x"), 2<<20)
	stories, events := a.countStories(t), a.countEvents(t)
	story := validStoryForm()
	post := func(path string, fields url.Values, field, contentType string, data []byte) *http.Request {
		body, ct := multipartBody(t, fields, field, "file.bin", contentType, data)
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header.Set("Content-Type", ct)
		return req
	}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	importPath := "/manage/cities/agadir/import"
	cases := []struct {
		name   string
		c      *client
		req    func() *http.Request
		status int
	}{
		// Anonymous, no session, no token, as in the report.
		{"anonymous story without a token", nil, func() *http.Request { return post("/stories", story, "photo", "image/jpeg", big) }, 403},
		{"anonymous import", nil, func() *http.Request { return post(importPath, url.Values{"kind": {"events"}}, "file", "text/csv", big) }, 303},
		{"anonymous import with a token", anonymous, func() *http.Request {
			return post(importPath, url.Values{"_csrf": {anonymous.csrf()}}, "file", "text/csv", big)
		}, 303},
		// A coordinator's refused imports.
		{"import without a token", co, func() *http.Request { return post(importPath, url.Values{"kind": {"events"}}, "file", "text/csv", big) }, 403},
		{"import to another city", co, func() *http.Request {
			return post("/manage/cities/fez/import", url.Values{"_csrf": {token}}, "file", "text/csv", big)
		}, 403},
		{"import of a file that is no table", co, func() *http.Request {
			return post(importPath, url.Values{"_csrf": {token}}, "file", "text/csv", bytes.Repeat([]byte{0x89, 0, 1, 0}, 1<<19))
		}, 422},
		// Refused stories, with a token.
		{"story with a NUL in a field", anonymous, func() *http.Request {
			return post("/stories", with(story, "_csrf", anonymous.csrf(), "title", "a\x00b"), "photo", "image/jpeg", big)
		}, 400},
		{"story whose photo is no image", anonymous, func() *http.Request {
			return post("/stories", with(story, "_csrf", anonymous.csrf()), "photo", "image/jpeg", big)
		}, 422},
		{"story past the body limit", anonymous, func() *http.Request {
			req := post("/stories", with(story, "_csrf", anonymous.csrf()), "photo", "image/jpeg", bytes.Repeat([]byte("x"), 25<<20))
			req.ContentLength = -1 // chunked: cut off while it is read
			return req
		}, 413},
	}
	sent := 0
	for round := 0; sent < 20; round++ {
		for _, tc := range cases {
			if sent == 20 || (round > 0 && tc.status == 413) {
				continue // one 25 MB body is enough
			}
			rec := a.serveDirect(tc.c, tc.req())
			if rec.Code != tc.status {
				t.Fatalf("%s: status %d, want %d:\n%s", tc.name, rec.Code, tc.status, rec.Body)
			}
			sent++
			if n := tempFiles(t, dir); n != 0 {
				t.Fatalf("%s: %d files left in the temporary folder", tc.name, n)
			}
		}
	}
	if a.countStories(t) != stories || a.countEvents(t) != events {
		t.Error("a refused upload wrote something")
	}
}

// TestAcceptedUploadsLeaveNoTempFiles: a story with a photo over 1 MB and
// an import of a file over 1 MB, both accepted, leave nothing behind
// in the temporary folder either.
func TestAcceptedUploadsLeaveNoTempFiles(t *testing.T) {
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	learner := a.client()
	learner.csrfOrFetch(t)
	photo := noisyJPEG(t)
	var csv strings.Builder
	csv.WriteString("Title,Starts,Learning areas,Description\n")
	for i := 0; csv.Len() <= 1<<20+1000; i++ {
		fmt.Fprintf(&csv, "Evening class %d,2025-01-%02d 18:00,culture,%s\n", i, i%28+1, strings.Repeat("Reading together. ", 200))
	}
	dir := useTempDir(t)
	stories := a.countStories(t)

	res := learner.postMultipart(t, "/stories", validStoryForm(), &upload{name: "noise.jpg", contentType: "image/jpeg", data: photo})
	wantStatus(t, res, http.StatusSeeOther)
	if a.countStories(t) != stories+1 {
		t.Fatal("the story was not stored")
	}
	if n := tempFiles(t, dir); n != 0 {
		t.Errorf("a story with a photo left %d files in the temporary folder", n)
	}
	res = co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "classes.csv", []byte(csv.String()))
	wantStatus(t, res, http.StatusOK)
	importToken(t, res)
	if n := tempFiles(t, dir); n != 0 {
		t.Errorf("an import left %d files in the temporary folder", n)
	}
}

// tripwire is a request body that records whether anything read it.
type tripwire struct {
	r    io.Reader
	read bool
}

func (b *tripwire) Read(p []byte) (int, error) {
	b.read = true
	return b.r.Read(p)
}

func (b *tripwire) Close() error { return nil }

// TestSignedInRoutesRefuseAnonymousBeforeReadingTheBody posts to every
// route, as an anonymous visitor with a valid CSRF token: each that sends
// the visitor to the login page does so without reading a byte of the
// body (issue 25, item 1).
func TestSignedInRoutesRefuseAnonymousBeforeReadingTheBody(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	anonymous := a.client()
	token := anonymous.csrfOrFetch(t)
	replacer := strings.NewReplacer(":slug", "agadir", ":id", "1", ":action", "publish", ":token", "x", "*", "x")
	refused := 0
	for _, r := range a.e.Routes() {
		if r.Method == echo.RouteNotFound || r.Method == http.MethodGet {
			continue
		}
		path := replacer.Replace(r.Path)
		body := &tripwire{r: strings.NewReader("a=b")}
		req := httptest.NewRequest(r.Method, path, body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", token)
		rec := a.serveDirect(anonymous, req)
		toLogin := rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login")
		switch {
		case r.Path == "/login/two-factor":
			// Half signed in: without a password checked first it sends
			// the visitor to /login once its small form is read.
		case toLogin && body.read:
			t.Errorf("%s %s: the body of an anonymous request was read before it was refused", r.Method, path)
		case toLogin:
			refused++
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s %s: Cache-Control %q, want no-store", r.Method, path, cc)
			}
		}
	}
	if refused < 30 {
		t.Fatalf("%d routes sent an anonymous visitor to /login; the table has more", refused)
	}
}
