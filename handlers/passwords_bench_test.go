package handlers_test

import (
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

// BenchmarkForgotPassword times the answer to a reset request for an
// address with an account and for one without, in pairs, each request from
// an address of its own (so that no limit is reached), in alternating
// order. The client is curl, another process, as a visitor would be: a
// client in this process would share the Go scheduler with the work left
// for after the answer, and see it. It reports each one's median time to
// the first byte and how often, out of the pairs, the known address
// answered later: about half when the time says nothing.
// Run: go test ./handlers -run '^$' -bench ForgotPassword -benchtime 300x
func BenchmarkForgotPassword(b *testing.B) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("no curl")
	}
	a := newAppWith(b, handlers.Config{TrustedProxies: loopback()}, false)
	c := a.client()
	token := c.csrfOrFetch(b)
	ask := func(email string, i int) time.Duration {
		out, err := exec.Command(curl, "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_connect} %{time_starttransfer}",
			"-H", fmt.Sprintf("X-Forwarded-For: 10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
			"-b", "ltl_csrf="+token, "--data-urlencode", "email="+email, "--data-urlencode", "_csrf="+token,
			a.srv.URL+"/password-reset").Output()
		if err != nil {
			b.Fatal(err)
		}
		// The mail written after the answer is not part of the next one.
		a.settle()
		var status int
		var connect, first float64
		if _, err := fmt.Sscan(string(out), &status, &connect, &first); err != nil || status != http.StatusOK {
			b.Fatalf("curl: %q, %v", out, err)
		}
		return time.Duration((first - connect) * float64(time.Second))
	}
	var known, unknown []time.Duration
	later := 0
	for i := 0; b.Loop(); i++ {
		var k, u time.Duration
		if i%2 == 0 {
			k, u = ask("agadir@example.org", 2*i), ask("nobody@example.org", 2*i+1)
		} else {
			u, k = ask("nobody@example.org", 2*i), ask("agadir@example.org", 2*i+1)
		}
		known, unknown = append(known, k), append(unknown, u)
		if k > u {
			later++
		}
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds())
	}
	b.ReportMetric(median(known), "known-µs")
	b.ReportMetric(median(unknown), "unknown-µs")
	b.ReportMetric(float64(later)/float64(len(known)), "known-later")
}
