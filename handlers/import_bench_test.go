package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// importBenchRows is the size of the events file the import benchmark sends.
const importBenchRows = 10_000

// BenchmarkImport starts the real server (BENCH_BIN) on the network-scale
// database (BENCH_DB) and, as staff, previews and then imports a file of
// 10,000 events into the network's last city, following the import on its
// status page until it is done. Meanwhile an anonymous visitor reads
// /reports over and over, and a coordinator saves an event of another
// city about every second: a write, which on SQLite waits for the
// import's transaction. It prints the preview's and the import's times,
// /reports latency and the writer's. The rows carry references, so a
// second run updates the same 10,000 events rather than adding more; each
// run's venues name the run, so that its rows change what is stored (a row
// left as it was would not be written).
func BenchmarkImport(b *testing.B) {
	bin, db := os.Getenv("BENCH_BIN"), os.Getenv("BENCH_DB")
	if bin == "" || db == "" {
		b.Skip("BENCH_BIN and BENCH_DB not set: run make bench")
	}
	ctx := context.Background()
	st, err := store.Open(db, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	cities, err := st.Cities(ctx, models.CityFilter{})
	if err != nil || len(cities) == 0 {
		b.Fatalf("no cities: %v", err)
	}
	slices.SortFunc(cities, func(x, y models.City) int { return int(x.ID) - int(y.ID) })
	city := cities[len(cities)-1]
	partners, err := st.Partners(ctx, models.PartnerFilter{CityID: city.ID}, models.Page{Size: 3})
	if err != nil || len(partners.Items) == 0 {
		b.Fatalf("no partner in %s: %v", city.Name, err)
	}
	other, err := st.Events(ctx, models.EventFilter{CityIDs: []uint{cities[0].ID}}, models.Page{Size: 1})
	if err != nil || len(other.Items) == 0 {
		b.Fatalf("no event in %s: %v", cities[0].Name, err)
	}
	nu := models.NewUser{Email: benchStaff, Name: "Bench Staff", Role: models.RoleStaff, Password: password}
	if _, err := st.CreateUser(ctx, models.CLIActor(), nu); err != nil {
		if fe, ok := models.AsFieldErrors(err); !ok || fe["email"].Code != "taken" {
			b.Fatal(err)
		}
	}
	st.Close()

	base, _ := startServer(b, bin, db)
	staff := newBenchClient(b, base).signIn(benchStaff)
	writer := newBenchClient(b, base).signIn(benchStaff)
	reader := newBenchClient(b, base)
	path := "/manage/cities/" + city.Slug + "/import"
	editPath := fmt.Sprintf("/manage/events/%d", other.Items[0].ID)
	token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
	for range b.N {
		file := importBenchFile(partners.Items, time.Now().Format("150405.000"))
		fmt.Printf("\nimport: %d events (%d KB of CSV) into %s, as staff; /reports read meanwhile by one visitor, an event of %s saved about every second\n",
			importBenchRows, len(file)>>10, city.Name, cities[0].Name)
		reader.get("/reports") // warm the report cache
		_, form := writer.send(writer.request(http.MethodGet, editPath+"/edit"))
		event := formValues(b, form, "form[action='"+editPath+"']")
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var reads, writes latencies
		var writeFailures []string
		wg.Add(2)
		go func() {
			defer wg.Done()
			for !stopped(stop) {
				t0 := time.Now()
				if status, _, _, _ := reader.get("/reports"); status != http.StatusOK {
					b.Errorf("/reports during the import: status %d", status)
				}
				reads.add(time.Since(t0))
			}
		}()
		go func() {
			defer wg.Done()
			for !stopped(stop) {
				t0 := time.Now()
				status, body := writer.postForm(editPath, event)
				writes.add(time.Since(t0))
				if status != http.StatusSeeOther {
					writeFailures = append(writeFailures, fmt.Sprintf("status %d: %.300s", status, body))
				}
				time.Sleep(time.Second - min(time.Since(t0), time.Second))
			}
		}()
		staff.get(path) // the import page, as a browser opens it first: it sets the CSRF cookie
		t0 := time.Now()
		status, body := staff.postFile(path, url.Values{"kind": {"events"}}, "festival.csv", file)
		preview := time.Since(t0)
		m := token.FindStringSubmatch(body)
		if status != http.StatusOK || m == nil {
			close(stop)
			b.Fatalf("preview: status %d\n%.3000s", status, body)
		}
		fmt.Printf("import: preview done in %.1f s (status %d)\n", preview.Seconds(), status)
		t1 := time.Now()
		status, body = staff.postForm(path+"/confirm", url.Values{"token": {m[1]}, "create_partners": {"yes"}})
		if status != http.StatusSeeOther {
			close(stop)
			b.Fatalf("confirm: status %d\n%.3000s", status, body)
		}
		confirmed := time.Since(t1)
		page, polls, phases := waitImportDone(b, staff, path+"/status/"+m[1])
		imported := time.Since(t1)
		close(stop)
		wg.Wait()
		if !strings.Contains(page, `data-testid="import-done"`) {
			b.Fatalf("import did not end done:\n%.3000s", page)
		}
		fmt.Printf("import: confirmed (303) in %.2f s; done, as its status page says, %.1f s after the confirmation (%d status reads)\n",
			confirmed.Seconds(), imported.Seconds(), polls)
		fmt.Printf("import: the status page showed: %s\n", strings.Join(phases, " | "))
		r50, r95, rmax := reads.summary(b, "/reports")
		fmt.Printf("import: /reports during preview and import: %d requests, p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", reads.len(), r50, r95, rmax)
		w50, _, wmax := writes.summary(b, "event saves")
		fmt.Printf("import: event saved by a coordinator meanwhile: %d saves, p50 %.1f ms, max %.1f ms, %d failed\n", writes.len(), w50, wmax, len(writeFailures))
		for _, f := range writeFailures {
			b.Errorf("an event save during the import failed: %s", f)
		}
		b.ReportMetric(preview.Seconds(), "preview-s")
		b.ReportMetric(imported.Seconds(), "import-s")
		b.ReportMetric(r95, "reports-p95-ms")
		b.ReportMetric(wmax, "write-max-ms")
	}
}

// stopped reports whether stop is closed.
func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// latencies collects request times from several goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.d = append(l.d, d)
}

func (l *latencies) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.d)
}

// summary is the p50, p95 and max in milliseconds; a benchmark with no
// request of what fails.
func (l *latencies) summary(b *testing.B, what string) (p50, p95, worst float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		b.Fatalf("no %s request finished during the import", what)
	}
	slices.Sort(l.d)
	return ms(l.d[len(l.d)/2]), ms(l.d[len(l.d)*95/100]), ms(l.d[len(l.d)-1])
}

// importPhase is the words of a running import's phase on its status page.
var importPhase = regexp.MustCompile(`data-testid="import-phase">([^<]*)<`)

// waitImportDone reads an import's status page until it no longer runs
// (every 100 ms, as a tight browser would; the page itself reloads every
// 2 s), and returns the last page, how many reads it took and the phases
// the page showed, in order.
func waitImportDone(b *testing.B, c *benchClient, status string) (string, int, []string) {
	var phases []string
	for i := 1; ; i++ {
		code, page := c.send(c.request(http.MethodGet, status))
		if code != http.StatusOK {
			b.Fatalf("status page: %d\n%.3000s", code, page)
		}
		if m := importPhase.FindStringSubmatch(page); m != nil && (len(phases) == 0 || phases[len(phases)-1] != m[1]) {
			phases = append(phases, html.UnescapeString(m[1]))
		}
		if !strings.Contains(page, `data-state="running"`) {
			return page, i, phases
		}
		if i > 3000 {
			b.Fatal("the import still runs after 5 minutes")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// formValues are the values a browser would send with the form that
// matches selector in page: text fields, hidden fields, checked boxes,
// selected options and text areas.
func formValues(b *testing.B, page, selector string) url.Values {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		b.Fatal(err)
	}
	form := doc.Find(selector)
	if form.Length() == 0 {
		b.Fatalf("no form %s in:\n%.2000s", selector, page)
	}
	v := url.Values{}
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		switch {
		case name == "_csrf" || typ == "submit" || typ == "file":
		case goquery.NodeName(s) == "select":
			s.Find("option[selected]").Each(func(_ int, o *goquery.Selection) { v.Add(name, o.AttrOr("value", o.Text())) })
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		case typ == "checkbox" || typ == "radio":
			if _, on := s.Attr("checked"); on {
				v.Add(name, s.AttrOr("value", "on"))
			}
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

// importBenchFile is a festival's worth of events, many festivals over:
// held events over the past year, with references, partners of the city
// and one partner the city lacks; the venues name the run.
func importBenchFile(partners []models.Partner, run string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"Reference", "Title", "Starts", "Ends", "Venue", "Format", "Status", "Participants", "Learning areas", "Age groups", "Partners"})
	start := time.Date(time.Now().Year()-1, 1, 1, 9, 0, 0, 0, time.UTC)
	areas := models.LearningAreas()
	for i := range importBenchRows {
		t := start.Add(time.Duration(i%340)*24*time.Hour + time.Duration(i%9)*time.Hour)
		p := partners[i%len(partners)].Name
		if i%100 == 0 {
			p += "; Bench import new partner"
		}
		w.Write([]string{fmt.Sprintf("BENCH-IMPORT-%05d", i), fmt.Sprintf("Imported event %d", i),
			t.Format("2006-01-02 15:04"), t.Add(2 * time.Hour).Format("2006-01-02 15:04"), fmt.Sprintf("Hall %d, run %s", i%40, run),
			"in-person", "held", fmt.Sprint(10 + i%200), string(areas[i%len(areas)]), "adults", p})
	}
	w.Flush()
	return buf.Bytes()
}

// csrf is the client's CSRF token.
func (c *benchClient) csrf() string {
	u, _ := url.Parse(c.base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "ltl_csrf" {
			return ck.Value
		}
	}
	return ""
}

// postFile sends a multipart form with one file and returns the status and body.
func (c *benchClient) postFile(path string, fields url.Values, name string, data []byte) (int, string) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.b.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.send(req)
}

// postForm sends a form with the client's CSRF token.
func (c *benchClient) postForm(path string, form url.Values) (int, string) {
	form.Set("_csrf", c.csrf())
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

// request is a request to path of the client's server.
func (c *benchClient) request(method, path string) *http.Request {
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		c.b.Fatal(err)
	}
	return req
}

func (c *benchClient) send(req *http.Request) (int, string) {
	res, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
