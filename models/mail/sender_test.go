package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/mail"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// received is one message an SMTP server accepted.
type received struct {
	from string
	to   []string
	data []byte
}

// smtpServer is a real SMTP server on a loopback port, keeping what it
// receives; while refuse is set it answers every recipient with a 451.
type smtpServer struct {
	mu     sync.Mutex
	got    []received
	refuse bool
	addr   string
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }

type session struct {
	srv *smtpServer
	msg received
}

func (s *session) Reset()        { s.msg = received{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.msg.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.msg.to = append(s.msg.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.msg.data = b
	s.srv.got = append(s.srv.got, s.msg)
	return nil
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	be := &smtpServer{}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	be.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return be
}

// invite invites a French-speaking coordinator of a new city through the
// st, which writes the invitation to the outbox.
func invite(t *testing.T, st *store.Store, email, lang string) *models.User {
	t.Helper()
	ctx := context.Background()
	city, err := st.CityBySlug(ctx, "fes")
	if errors.Is(err, models.ErrNotFound) {
		city = &models.City{Name: "Fès", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
		err = st.CreateCity(ctx, models.CLIActor(), city, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	cat, err := views.NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := views.Mailer{Catalog: cat, BaseURL: "https://tracker.example.org"}
	u, err := st.InviteUser(ctx, models.CLIActor(), models.Invitation{
		Email: email, Name: "Amina Idrissi", Role: models.RoleCoordinator, CityIDs: []uint{city.ID}, Language: lang,
	}, func(u *models.User, token string) (models.Mail, error) {
		return m.Invitation(u, token, "UNESCO", []string{city.Name})
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestSenderDeliversOverSMTP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := storetest.Open(t)
	srv := startSMTP(t)
	invite(t, st, "amina@fes.example", "fr")
	s, err := mail.New(st, mail.Config{
		SMTPURL: "smtp://" + srv.addr, From: "LearnThroughLife <noreply@tracker.example.org>", BaseURL: "https://tracker.example.org",
	}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Flush(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Flush = %d, %v; want 1 sent", n, err)
	}
	if len(srv.got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(srv.got))
	}
	got := srv.got[0]
	if got.from != "noreply@tracker.example.org" || len(got.to) != 1 || got.to[0] != "amina@fes.example" {
		t.Errorf("envelope from %q to %v", got.from, got.to)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(got.data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	for header, want := range map[string]string{
		"Subject":          "Vous êtes invité·e à l’outil de suivi LearnThroughLife",
		"Content-Language": "fr",
		"Auto-Submitted":   "auto-generated",
	} {
		value := msg.Header.Get(header)
		if header == "Subject" {
			value = subject
		}
		if value != want {
			t.Errorf("%s = %q, want %q", header, value, want)
		}
	}
	if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "amina@fes.example" {
		t.Errorf("To = %v, %v", to, err)
	}
	if id := msg.Header.Get("Message-Id"); !strings.HasPrefix(id, "<outbox-") || !strings.HasSuffix(id, "@tracker.example.org>") {
		t.Errorf("Message-ID = %q", id)
	}
	parts := bodyParts(t, msg)
	for _, kind := range []string{"text/plain", "text/html"} {
		body, ok := parts[kind]
		if !ok {
			t.Errorf("no %s part; have %v", kind, keys(parts))
			continue
		}
		for _, want := range []string{"Bonjour Amina Idrissi", "https://tracker.example.org/invitations/", "Vos villes : Fès."} {
			if !strings.Contains(body, want) {
				t.Errorf("%s part lacks %q:\n%s", kind, want, body)
			}
		}
	}
	if !strings.Contains(parts["text/html"], `lang="fr"`) {
		t.Errorf("HTML part does not say its language")
	}
	// Sent once: a second flush finds nothing, and the body that held the
	// single-use link is gone from the database.
	if n, err := s.Flush(ctx); err != nil || n != 0 {
		t.Errorf("second Flush = %d, %v; want 0", n, err)
	}
	list, err := st.Outbox(ctx, models.OutboxFilter{})
	if err != nil || len(list) != 1 || list[0].Status != models.OutboxSent || list[0].SentAt == nil {
		t.Fatalf("outbox = %+v, %v", list, err)
	}
	full, err := st.OutboxMessage(ctx, list[0].ID)
	if err != nil || full.TextBody != "" || full.HTMLBody != "" {
		t.Errorf("sent message keeps its body: %q, %v", full.TextBody, err)
	}
}

func TestSenderRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := storetest.Open(t)
	srv := startSMTP(t)
	srv.refuse = true
	invite(t, st, "amina@fes.example", "ar")
	s, err := mail.New(st, mail.Config{SMTPURL: "smtp://" + srv.addr, From: "noreply@tracker.example.org"}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Flush(ctx); err != nil || n != 0 {
		t.Fatalf("Flush = %d, %v; want 0 sent", n, err)
	}
	list, _ := st.Outbox(ctx, models.OutboxFilter{})
	if len(list) != 1 || list[0].Status != models.OutboxPending || list[0].Attempts != 1 || !strings.Contains(list[0].LastError, "451") {
		t.Fatalf("after a refusal: %+v", list)
	}
	if wait := time.Until(list[0].NextAttemptAt); wait < 50*time.Second {
		t.Errorf("next attempt in %v, want about a minute", wait)
	}
	// Not due yet: the next flush leaves it alone, even once the server
	// accepts again.
	srv.refuse = false
	if n, err := s.Flush(ctx); err != nil || n != 0 || len(srv.got) != 0 {
		t.Errorf("Flush before the back-off = %d, %v, %d received", n, err, len(srv.got))
	}
	for attempts, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 5: 16 * time.Minute, 20: 6 * time.Hour} {
		if got := models.MailBackoff(attempts); got != want {
			t.Errorf("MailBackoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestSenderWritesFilesWithoutSMTP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := storetest.Open(t)
	invite(t, st, "amina@fes.example", "es")
	dir := filepath.Join(t.TempDir(), "outbox")
	s, err := mail.New(st, mail.Config{From: "noreply@localhost", Dir: dir}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Flush(ctx); err != nil || n != 1 {
		t.Fatalf("Flush = %d, %v", n, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 || !strings.HasSuffix(files[0], "-invitation.eml") {
		t.Fatalf("files = %v", files)
	}
	b, _ := os.ReadFile(files[0])
	msg, err := netmail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Content-Language") != "es" {
		t.Errorf("Content-Language = %q", msg.Header.Get("Content-Language"))
	}
	if !strings.Contains(bodyParts(t, msg)["text/plain"], "Hola, Amina Idrissi:") {
		t.Errorf("the file is not the Spanish invitation")
	}
	// Without SMTP the body stays for staff to read at /manage/outbox.
	list, _ := st.Outbox(ctx, models.OutboxFilter{})
	full, err := st.OutboxMessage(ctx, list[0].ID)
	if err != nil || !strings.Contains(full.TextBody, "/invitations/") {
		t.Errorf("kept body = %q, %v", full.TextBody, err)
	}
}

func TestClaimMailClaimsEachMessageOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _ := storetest.Open(t)
	for _, email := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		invite(t, st, email, "en")
	}
	var wg sync.WaitGroup
	claimed := make([][]models.OutboxMessage, 4)
	for i := range claimed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				m, err := st.ClaimMail(ctx, 1)
				if err != nil {
					t.Error(err)
					return
				}
				if len(m) == 0 {
					return
				}
				claimed[i] = append(claimed[i], m...)
			}
		}()
	}
	wg.Wait()
	seen := map[uint]bool{}
	for _, ms := range claimed {
		for _, m := range ms {
			if seen[m.ID] {
				t.Errorf("message %d claimed twice", m.ID)
			}
			seen[m.ID] = true
		}
	}
	if len(seen) != 3 {
		t.Errorf("claimed %d messages, want 3", len(seen))
	}
}

// bodyParts decodes a multipart/alternative message into its parts by
// content type.
func bodyParts(t *testing.T, msg *netmail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, %v", msg.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = p
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			r = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(b)
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSenderRefusesBadSettings(t *testing.T) {
	t.Parallel()
	st, _ := storetest.Open(t)
	for _, cfg := range []mail.Config{
		{SMTPURL: "http://mail.example.org", From: "noreply@example.org"},
		{SMTPURL: "smtp://", From: "noreply@example.org"},
		{SMTPURL: "smtp://mail.example.org:port", From: "noreply@example.org"},
		{SMTPURL: "smtp://mail.example.org", From: ""},
		{From: "noreply@example.org"}, // no SMTP and nowhere to write files
	} {
		if _, err := mail.New(st, cfg, quiet()); err == nil {
			t.Errorf("mail.New(%+v) accepted", cfg)
		}
	}
	s, err := mail.New(st, mail.Config{SMTPURL: "smtps://user%40example.org:p%3Ass@mail.example.org", From: "noreply@example.org"}, quiet())
	if err != nil || s.ToFiles() {
		t.Errorf("smtps URL: %v, to files %v", err, s != nil && s.ToFiles())
	}
}
