package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
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

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// importBenchRows is the size of the events file the import benchmark sends.
const importBenchRows = 10_000

// BenchmarkImport starts the real server (BENCH_BIN) on the network-scale
// database (BENCH_DB) and, as staff, previews and then imports a file of
// 10,000 events into the network's last city, while an anonymous visitor
// reads /reports over and over; it prints the preview's and the import's
// times and /reports latency meanwhile. The rows carry references, so a
// second run updates the same 10,000 events rather than adding more.
func BenchmarkImport(b *testing.B) {
	bin, db := os.Getenv("BENCH_BIN"), os.Getenv("BENCH_DB")
	if bin == "" || db == "" {
		b.Skip("BENCH_BIN and BENCH_DB not set: run make bench")
	}
	ctx := context.Background()
	store, err := models.Open(db, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	cities, err := store.Cities(ctx, models.CityFilter{})
	if err != nil || len(cities) == 0 {
		b.Fatalf("no cities: %v", err)
	}
	slices.SortFunc(cities, func(x, y models.City) int { return int(x.ID) - int(y.ID) })
	city := cities[len(cities)-1]
	partners, err := store.Partners(ctx, models.PartnerFilter{CityID: city.ID}, models.Page{Size: 3})
	if err != nil || len(partners.Items) == 0 {
		b.Fatalf("no partner in %s: %v", city.Name, err)
	}
	nu := models.NewUser{Email: benchStaff, Name: "Bench Staff", Role: models.RoleStaff, Password: password}
	if _, err := store.CreateUser(ctx, models.CLIActor(), nu); err != nil {
		if fe, ok := models.AsFieldErrors(err); !ok || fe["email"].Code != "taken" {
			b.Fatal(err)
		}
	}
	store.Close()
	file := importBenchFile(partners.Items)

	base, _ := startServer(b, bin, db)
	staff := newBenchClient(b, base).signIn(benchStaff)
	reader := newBenchClient(b, base)
	path := "/manage/cities/" + city.Slug + "/import"
	token := regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
	for range b.N {
		fmt.Printf("\nimport: %d events (%d KB of CSV) into %s, as staff, /reports read meanwhile by one visitor\n",
			importBenchRows, len(file)>>10, city.Name)
		reader.get("/reports") // warm the report cache
		stop := make(chan struct{})
		var mu sync.Mutex
		var latencies []time.Duration
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				t0 := time.Now()
				if status, _, _, _ := reader.get("/reports"); status != http.StatusOK {
					b.Errorf("/reports during the import: status %d", status)
				}
				mu.Lock()
				latencies = append(latencies, time.Since(t0))
				mu.Unlock()
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
		confirm := time.Since(t1)
		close(stop)
		wg.Wait()
		if status != http.StatusSeeOther {
			b.Fatalf("import: status %d\n%.3000s", status, body)
		}
		fmt.Printf("import: confirmed and written in %.1f s (status %d)\n", confirm.Seconds(), status)
		slices.Sort(latencies)
		if len(latencies) == 0 {
			b.Fatal("no /reports request finished during the import")
		}
		p50, p95, worst := latencies[len(latencies)/2], latencies[len(latencies)*95/100], latencies[len(latencies)-1]
		fmt.Printf("import: /reports during preview and import: %d requests, p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
			len(latencies), ms(p50), ms(p95), ms(worst))
		b.ReportMetric(preview.Seconds(), "preview-s")
		b.ReportMetric(confirm.Seconds(), "import-s")
		b.ReportMetric(ms(p95), "reports-p95-ms")
	}
}

// importBenchFile is a festival's worth of events, many festivals over:
// held events over the past year, with references, partners of the city
// and one partner the city lacks.
func importBenchFile(partners []models.Partner) []byte {
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
			t.Format("2006-01-02 15:04"), t.Add(2 * time.Hour).Format("2006-01-02 15:04"), fmt.Sprintf("Hall %d", i%40),
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

func (c *benchClient) send(req *http.Request) (int, string) {
	res, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
