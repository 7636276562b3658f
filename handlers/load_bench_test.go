package handlers_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/static"
)

// BenchmarkPageLoad starts the real server (BENCH_BIN) on the
// network-scale database (BENCH_DB), loads /reports and / with 16
// concurrent clients for 10 s each, and prints requests per second,
// p50/p99 latency and the server's peak resident memory.
func BenchmarkPageLoad(b *testing.B) {
	bin, db := os.Getenv("BENCH_BIN"), os.Getenv("BENCH_DB")
	if bin == "" || db == "" {
		b.Skip("BENCH_BIN and BENCH_DB not set: run make bench")
	}
	base, cmd := startServer(b, bin, db)
	// The baseline: a static file, in the same run.
	staticPath := static.URL("css/app.css")
	// Writers to cities outside Africa, for the reports measured while
	// writes land on other cities.
	writes := benchWriter(b, db, models.RegionAfrica)
	for range b.N {
		rate := map[string]float64{}
		for _, run := range []struct {
			path   string
			writes bool
		}{{staticPath, false}, {"/", false}, {"/reports", false}, {"/reports?region=africa", true}, {"/reports", true}} {
			path := run.path
			http.Get(base + path) // warm the report cache and the page cache of SQLite
			stop := make(chan struct{})
			done := make(chan int)
			if run.writes {
				go writes(stop, done)
			}
			targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: base + path})
			attacker := vegeta.NewAttacker(vegeta.Workers(16), vegeta.MaxWorkers(16), vegeta.KeepAlive(true))
			var m vegeta.Metrics
			for res := range attacker.Attack(targeter, vegeta.Rate{Freq: 0}, 10*time.Second, path) {
				m.Add(res)
			}
			m.Close()
			label := path
			if path == staticPath {
				label = "static"
			}
			if run.writes {
				close(stop)
				label += fmt.Sprintf(" +%d writes", <-done)
			}
			rss := peakRSS(cmd.Process.Pid)
			fmt.Printf("load %-34s 16 clients 10 s: %7.1f req/s  p50 %6.1f ms  p99 %6.1f ms  success %5.1f%%  peak RSS %4d MB\n",
				label, m.Throughput, ms(m.Latencies.P50), ms(m.Latencies.P99), m.Success*100, rss>>20)
			if m.Success < 1 {
				b.Errorf("%s: %d errors: %v", path, len(m.Errors), m.Errors)
			}
			rate[label] = m.Throughput
			b.ReportMetric(m.Throughput, strings.NewReplacer("/", "", "?", "-", "=", "-", " ", "", "+", "-").Replace(label)+"-req/s")
		}
		fmt.Printf("load / gets %.0f%% of the static file's requests per second\n", 100*rate["/"]/rate["static"])
	}
}

// benchWriter returns a writer that, until stop closes, changes an event
// of a city outside region five times a second through the store, as a
// coordinator's edits would, and then sends how many writes it made.
func benchWriter(b *testing.B, db string, region models.Region) func(stop chan struct{}, done chan int) {
	b.Helper()
	s, err := store.Open(db, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	cities, err := s.Cities(ctx, models.CityFilter{})
	if err != nil {
		b.Fatal(err)
	}
	var events []*models.Event
	for _, c := range cities {
		if c.Region == region || len(events) == 10 {
			continue
		}
		page, err := s.Events(ctx, models.EventFilter{CityIDs: []uint{c.ID}, Status: models.StatusHeld}, models.Page{Size: 1, NoTotal: true})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("no held event in %s: %v", c.Name, err)
		}
		e, err := s.Event(ctx, page.Items[0].ID)
		if err != nil {
			b.Fatal(err)
		}
		events = append(events, e)
	}
	return func(stop chan struct{}, done chan int) {
		n := 0
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				done <- n
				return
			case <-tick.C:
				e := events[n%len(events)]
				p := 10 + n%50
				e.Participants = &p
				e.AgeParticipants = models.SplitParticipants(p, e.AgeGroups) // keeps the age split adding up
				if err := s.UpdateEvent(ctx, models.CLIActor(), e); err != nil {
					b.Errorf("write: %v", err)
				}
				n++
			}
		}
	}
}

// startServer starts the server binary bin on the database db, waits
// until it answers, and stops it when the benchmark ends. It returns the
// server's base URL and its process.
func startServer(b *testing.B, bin, db string) (string, *exec.Cmd) {
	b.Helper()
	return startServing(b, bin, nil, "--database-url", db, "--data-dir", b.TempDir())
}

// startServing starts `bin serve` with args (and env added to the
// environment) on a free local port, waits until it answers, and stops it
// when the benchmark ends. It returns the server's base URL and process.
func startServing(b *testing.B, bin string, env []string, args ...string) (string, *exec.Cmd) {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	// A first start migrates the database, which may take a while.
	for i := 0; ; i++ {
		res, err := http.Get(base + "/healthz")
		if err == nil && res.StatusCode == http.StatusOK {
			res.Body.Close()
			return base, cmd
		}
		if i > 3000 {
			b.Fatalf("server did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(sc.Text(), "VmHWM: %d kB", &kb); n == 1 {
			return kb << 10
		}
	}
	return 0
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
