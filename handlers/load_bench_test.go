package handlers_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
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
	for range b.N {
		for _, path := range []string{"/reports", "/"} {
			http.Get(base + path) // warm the report cache and the page cache of SQLite
			targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: base + path})
			attacker := vegeta.NewAttacker(vegeta.Workers(16), vegeta.MaxWorkers(16), vegeta.KeepAlive(true))
			var m vegeta.Metrics
			for res := range attacker.Attack(targeter, vegeta.Rate{Freq: 0}, 10*time.Second, path) {
				m.Add(res)
			}
			m.Close()
			rss := peakRSS(cmd.Process.Pid)
			fmt.Printf("load %-9s 16 clients 10 s: %7.1f req/s  p50 %6.1f ms  p99 %6.1f ms  success %5.1f%%  peak RSS %4d MB\n",
				path, m.Throughput, ms(m.Latencies.P50), ms(m.Latencies.P99), m.Success*100, rss>>20)
			if m.Success < 1 {
				b.Errorf("%s: %d errors: %v", path, len(m.Errors), m.Errors)
			}
			b.ReportMetric(m.Throughput, strings.Trim(path, "/")+"-req/s")
		}
	}
}

// startServer starts the server binary bin on the database db, waits
// until it answers, and stops it when the benchmark ends. It returns the
// server's base URL and its process.
func startServer(b *testing.B, bin, db string) (string, *exec.Cmd) {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--database-url", db, "--data-dir", b.TempDir())
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
