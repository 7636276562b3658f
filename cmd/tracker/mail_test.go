package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// inbox is a real SMTP server on a loopback port that keeps what it gets.
type inbox struct {
	mu   sync.Mutex
	got  []*mail.Message
	from []string
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &inboxSession{b: b}, nil }

type inboxSession struct {
	b    *inbox
	from string
}

func (s *inboxSession) Reset()        {}
func (s *inboxSession) Logout() error { return nil }
func (s *inboxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *inboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *inboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.got = append(s.b.got, m)
	s.b.from = append(s.b.from, s.from)
	return nil
}

// TestServeMailsThroughSMTP runs tracker serve with TRACKER_SMTP_URL and
// TRACKER_MAIL_FROM: staff invite someone on the web, and the invitation
// reaches a real SMTP server, from the sender set, with a link to
// TRACKER_BASE_URL. A URL that cannot work stops serve at once.
func TestServeMailsThroughSMTP(t *testing.T) {
	box := &inbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	addr := freeAddr(t)
	getenv := testEnv(t, map[string]string{
		"TRACKER_ADDR": addr, "TRACKER_BASE_URL": "https://tracker.example.org",
		"TRACKER_SMTP_URL": "smtp://" + ln.Addr().String(), "TRACKER_MAIL_FROM": "UNESCO LearnThroughLife <tracker@example.org>",
	})
	if out, err := runCmd(t, getenv, "a very long password\n", "user", "add", "-email", "staff@example.org", "-name", "Staff", "-role", "staff"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	}()
	waitForServer(t, addr)

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	post := func(path string, form url.Values) *http.Response {
		t.Helper()
		res, err := client.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := token.FindSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on %s", path)
		}
		form.Set("_csrf", string(m[1]))
		res, err = client.PostForm("http://"+addr+path, form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post("/login", url.Values{"email": {"staff@example.org"}, "password": {"a very long password"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	if res := post("/manage/users", url.Values{"name": {"Nadia"}, "email": {"nadia@example.org"}, "role": {"staff"}, "language": {"es"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.StatusCode)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		box.mu.Lock()
		n := len(box.got)
		box.mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if len(box.got) != 1 {
		t.Fatalf("the SMTP server got %d mails, want the invitation", len(box.got))
	}
	m := box.got[0]
	body, _ := io.ReadAll(m.Body)
	if box.from[0] != "tracker@example.org" || !strings.Contains(m.Header.Get("From"), "tracker@example.org") ||
		m.Header.Get("To") != "<nadia@example.org>" || m.Header.Get("Content-Language") != "es" ||
		!strings.Contains(string(body), "https://tracker.example.org/invitations/") {
		t.Errorf("mail from %q, headers %v:\n%s", box.from[0], m.Header, body)
	}

	bad := testEnv(t, map[string]string{"TRACKER_ADDR": freeAddr(t), "TRACKER_SMTP_URL": "mail.example.org:25"})
	if _, err := runCmd(t, bad, "", "serve"); err == nil || !strings.Contains(err.Error(), "TRACKER_SMTP_URL") {
		t.Errorf("serve with a bad SMTP URL: err = %v", err)
	}
}
