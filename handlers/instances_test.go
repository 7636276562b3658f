package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// secondInstance serves the app's database from a second app instance:
// its own second (connections, caches) and server, as another process
// behind the same load balancer would.
func (a *app) secondInstance(t testing.TB, cfg handlers.Config) *app {
	t.Helper()
	second, err := store.Open(a.dsn, a.photoDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	b := *a
	b.store = second
	b.serve(t, cfg, false)
	return &b
}

// TestTwoInstancesShareEverything runs two app instances on one database:
// sessions, stories, report figures and the story rate limit are shared.
func TestTwoInstancesShareEverything(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.secondInstance(t, handlers.Config{})

	// A session made on one works on the other.
	onA := a.loggedIn(t, "agadir@example.org")
	onB := b.client()
	onB.setCookie("ltl_session", onA.cookie("ltl_session"))
	onB.setCookie("ltl_csrf", onA.csrf())
	wantStatus(t, onB.get(t, "/account"), http.StatusOK)

	// Figures agree on both right after a write, though B cached them.
	before := b.client().get(t, "/api/v1/report").body
	code := a.submit(t, validStoryForm(), nil)
	st := a.storyByCode(t, code)
	// A story submitted on A is in the moderation queue on B.
	if !strings.Contains(onB.get(t, "/manage/stories").body, "I learned to read") {
		t.Fatal("a story submitted on one instance is not in the other's queue")
	}
	wantStatus(t, onB.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), nil), http.StatusSeeOther)
	var ra, rb struct{ Totals models.Totals }
	must(t, json.Unmarshal([]byte(a.client().get(t, "/api/v1/report").body), &ra))
	must(t, json.Unmarshal([]byte(b.client().get(t, "/api/v1/report").body), &rb))
	if ra.Totals != rb.Totals || ra.Totals.StoriesPublished != 1 || strings.Contains(before, `"stories_published":1`) {
		t.Errorf("instances disagree after a write: A %+v, B %+v (before: %s)", ra.Totals, rb.Totals, before[:80])
	}

	// The story rate limit holds across instances.
	fresh := newApp(t)
	other := fresh.secondInstance(t, handlers.Config{})
	for i := range 5 {
		srv := fresh
		if i%2 == 1 {
			srv = other
		}
		wantStatus(t, srv.client().postMultipart(t, "/stories", validStoryForm(), nil), http.StatusSeeOther)
	}
	wantStatus(t, other.client().postMultipart(t, "/stories", validStoryForm(), nil), http.StatusTooManyRequests)
	wantStatus(t, fresh.client().postMultipart(t, "/stories", validStoryForm(), nil), http.StatusTooManyRequests)
}

// loopback trusts the test clients' X-Forwarded-For, so that each stands
// for a different learner.
func loopback() []*net.IPNet {
	_, v4, _ := net.ParseCIDR("127.0.0.0/8")
	_, v6, _ := net.ParseCIDR("::1/128")
	return []*net.IPNet{v4, v6}
}

// hammer runs clients concurrently for d against two instances of one
// database: half submit stories, half edit Agadir's event. It returns the
// number of stories accepted, of event edits saved and of 5xx answers.
func hammer(t testing.TB, servers []*httptest.Server, clients int, d time.Duration, eventID uint, campaignID uint) (stories, edits, serverErrors int64) {
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv := servers[i%len(servers)]
			hc := srv.Client()
			ip := fmt.Sprintf("10.9.%d.%d", i/250, i%250+1)
			token, cookies := csrfFor(hc, srv.URL, ip)
			// Each client runs for d once signed in (slow under the race
			// detector), and at least a few rounds.
			deadline := time.Now().Add(d)
			for n := 0; n < 3 || time.Now().Before(deadline); n++ {
				var res *http.Response
				var err error
				if i%2 == 0 {
					form := validStoryForm()
					form.Set("title", fmt.Sprintf("Story %d-%d", i, n))
					form.Set("_csrf", token)
					// Each story from its own address: the rate limit is not under test here.
					res, err = post(hc, srv.URL+"/stories", form, cookies, fmt.Sprintf("10.%d.%d.%d", 100+i, n/250%250, n%250+1))
					if err == nil && res.StatusCode == http.StatusSeeOther {
						atomic.AddInt64(&stories, 1)
					}
				} else {
					start := time.Now().UTC().Add(-time.Duration(24+n%500) * time.Hour)
					form := url.Values{
						"_csrf": {token}, "title": {fmt.Sprintf("Edited %d-%d", i, n)},
						"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.Add(time.Hour).Format("2006-01-02T15:04")},
						"format": {"hybrid"}, "status": {"held"}, "participants": {fmt.Sprint(n % 90)},
						"campaign": {fmt.Sprint(campaignID)}, "learning_areas": {"culture"},
					}
					res, err = post(hc, fmt.Sprintf("%s/manage/events/%d", srv.URL, eventID), form, cookies, ip)
					if err == nil && res.StatusCode == http.StatusSeeOther {
						atomic.AddInt64(&edits, 1)
					}
				}
				if err != nil {
					t.Errorf("client %d: %v", i, err)
					return
				}
				if res.StatusCode >= 500 {
					atomic.AddInt64(&serverErrors, 1)
				}
			}
		}()
	}
	wg.Wait()
	return stories, edits, serverErrors
}

// csrfFor gets a CSRF token and cookie for a client (and signs the
// event editors in).
func csrfFor(hc *http.Client, base, ip string) (string, []*http.Cookie) {
	req, _ := http.NewRequest(http.MethodGet, base+"/login", nil)
	req.Header.Set("X-Forwarded-For", ip)
	res, err := hc.Do(req)
	if err != nil {
		return "", nil
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	cookies := res.Cookies()
	var token string
	for _, c := range cookies {
		if c.Name == "ltl_csrf" {
			token = c.Value
		}
	}
	form := url.Values{"_csrf": {token}, "email": {"staff@example.org"}, "password": {password}}
	res, err = post(hc, base+"/login", form, cookies, ip)
	if err == nil {
		cookies = append(cookies, res.Cookies()...)
	}
	return token, cookies
}

func post(hc *http.Client, target string, form url.Values, cookies []*http.Cookie, ip string) (*http.Response, error) {
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := *hc
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res, nil
}

// TestConcurrentWritesLoseNothing is the short version of the concurrency
// benchmark: clients submit stories and edit an event at once on two
// instances; no 5xx, every accepted story stored once, the figures exact.
func TestConcurrentWritesLoseNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cfg := handlers.Config{TrustedProxies: loopback()}
	a.serve(t, cfg, false)
	b := a.secondInstance(t, cfg)
	before := a.countStories(t)
	stories, edits, errs := hammer(t, []*httptest.Server{a.srv, b.srv}, 12, 3*time.Second, a.agadirEvent.ID, a.campaign.ID)
	if errs != 0 {
		t.Errorf("%d server errors", errs)
	}
	if stories == 0 || edits == 0 {
		t.Fatalf("nothing happened: %d stories, %d edits", stories, edits)
	}
	if got := a.countStories(t) - before; got != stories {
		t.Errorf("%d stories accepted, %d stored", stories, got)
	}
	ctx := context.Background()
	fast, err := a.reports.Compute(ctx, report.Query{})
	must(t, err)
	raw, err := a.reports.FromRaw(ctx, report.Query{})
	must(t, err)
	x, _ := json.Marshal(fast)
	y, _ := json.Marshal(raw)
	if string(x) != string(y) {
		t.Errorf("figures not exact after concurrent writes:\n%s\n%s", x, y)
	}
	t.Logf("%d stories and %d event edits in 3 s on two instances", stories, edits)
}

// BenchmarkConcurrentWrites runs 50 clients submitting stories and editing
// an event for 30 s against two instances of each engine (SQLite, and
// PostgreSQL when TEST_DATABASE_URL is set), then checks that nothing was
// lost or duplicated and that the figures are exact.
func BenchmarkConcurrentWrites(b *testing.B) {
	if os.Getenv("BENCH_DB") == "" {
		b.Skip("run make bench")
	}
	engines := []string{"sqlite"}
	if pg := os.Getenv("TEST_DATABASE_URL"); pg != "" {
		engines = append(engines, "postgres")
	} else {
		fmt.Println("concurrency: PostgreSQL skipped (set TEST_DATABASE_URL, as .ci/start-postgres prints)")
	}
	for _, engine := range engines {
		b.Run(engine, func(b *testing.B) {
			if engine == "sqlite" {
				b.Setenv("TEST_DATABASE_URL", "")
			}
			for range b.N {
				a := newApp(b)
				cfg := handlers.Config{TrustedProxies: loopback()}
				a.serve(b, cfg, false)
				second := a.secondInstance(b, cfg)
				before := a.countStories(b)
				stories, edits, errs := hammer(b, []*httptest.Server{a.srv, second.srv}, 50, 30*time.Second, a.agadirEvent.ID, a.campaign.ID)
				stored := a.countStories(b) - before
				ctx := context.Background()
				fast, err := a.reports.Compute(ctx, report.Query{})
				if err != nil {
					b.Fatal(err)
				}
				raw, err := a.reports.FromRaw(ctx, report.Query{})
				if err != nil {
					b.Fatal(err)
				}
				x, _ := json.Marshal(fast)
				y, _ := json.Marshal(raw)
				fmt.Printf("concurrency %-8s 50 clients 30 s, 2 instances: %6d stories (%d stored), %6d event edits, %d 5xx, figures exact: %v\n",
					engine, stories, stored, edits, errs, string(x) == string(y))
				if errs != 0 || stored != stories || string(x) != string(y) {
					b.Errorf("%s: %d 5xx, %d accepted vs %d stored, exact %v", engine, errs, stories, stored, string(x) == string(y))
				}
			}
		})
	}
}
