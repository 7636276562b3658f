// Package mail delivers the messages of the outbox: over SMTP when a
// server is set, else as .eml files under the data folder.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// Config says where and how mail goes.
type Config struct {
	// SMTPURL is smtp://[user:pass@]host[:port] (STARTTLS when the server
	// offers it; ?tls=required insists on it) or smtps://… (TLS from the
	// first byte). Empty: mails are written as files into Dir.
	SMTPURL string
	// From is the sender's address, with an optional display name.
	From string
	// BaseURL is the site's public address; its host names the messages'
	// Message-IDs.
	BaseURL string
	// Dir receives the .eml files when no SMTP server is set.
	Dir string
	// Interval is how often the outbox is checked (0: 5 s).
	Interval time.Duration
	// Digests writes the daily digests and reminders (nil: none), once a
	// day from DigestHour UTC on.
	Digests    store.Digester
	DigestHour int
}

// Sender takes due messages from the outbox and delivers them.
type Sender struct {
	store  *store.Store
	cfg    Config
	log    *slog.Logger
	client *gomail.Client
	host   string
}

// New checks cfg and returns a sender.
func New(store *store.Store, cfg Config, log *slog.Logger) (*Sender, error) {
	if cfg.From == "" {
		return nil, errors.New("mail: TRACKER_MAIL_FROM is empty")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Second
	}
	s := &Sender{store: store, cfg: cfg, log: log, host: "localhost"}
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		s.host = u.Hostname()
	}
	if cfg.SMTPURL == "" {
		if cfg.Dir == "" {
			return nil, errors.New("mail: no SMTP URL and no folder for mail files")
		}
		return s, os.MkdirAll(cfg.Dir, 0o750)
	}
	c, err := newClient(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	s.client = c
	return s, nil
}

// ToFiles reports whether mail is written as files rather than sent.
func (s *Sender) ToFiles() bool { return s.client == nil }

// newClient builds an SMTP client from a smtp:// or smtps:// URL.
func newClient(raw string) (*gomail.Client, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("TRACKER_SMTP_URL: want smtp://[user:pass@]host[:port] or smtps://…")
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second), gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else if u.Query().Get("tls") == "required" {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("TRACKER_SMTP_URL: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return gomail.NewClient(u.Hostname(), opts...)
}

// Run delivers due messages every Interval until ctx ends, and writes
// the digests and reminders about once an hour from DigestHour on (each is
// written once a day, by whichever instance gets there first).
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	var lastDigest time.Time
	for {
		if now := time.Now(); s.cfg.Digests != nil && now.UTC().Hour() >= s.cfg.DigestHour && now.Sub(lastDigest) > time.Hour {
			lastDigest = now
			if n, err := s.store.WriteDigests(ctx, now, s.cfg.Digests); err != nil && ctx.Err() == nil {
				s.log.Warn("digests", "err", err)
			} else if n > 0 {
				s.log.Info("digests and reminders written", "mails", n)
			}
		}
		if _, err := s.Flush(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("mail", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Flush delivers the messages due now, a batch at a time, and returns how
// many left. A message that fails waits for its back-off.
func (s *Sender) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		batch, err := s.store.ClaimMail(ctx, 20)
		if err != nil || len(batch) == 0 {
			return sent, err
		}
		for _, m := range batch {
			if err := s.deliver(ctx, m); err != nil {
				s.log.Warn("mail not delivered", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "err", err)
				if err := s.store.MarkMailFailed(context.WithoutCancel(ctx), m, err); err != nil {
					return sent, err
				}
				continue
			}
			if err := s.store.MarkMailSent(context.WithoutCancel(ctx), m.ID, s.ToFiles()); err != nil {
				return sent, err
			}
			sent++
		}
	}
}

// Message builds the MIME message of m: plain text with an HTML
// alternative, in m's language, with a Message-ID stable across retries.
func (s *Sender) Message(m models.OutboxMessage) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.Recipient); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetMessageIDWithValue(fmt.Sprintf("outbox-%d.%d@%s", m.ID, m.CreatedAt.Unix(), s.host))
	msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.TextBody)
	if m.HTMLBody != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTMLBody)
	}
	return msg, nil
}

// deliver sends one message, or writes it to its file.
func (s *Sender) deliver(ctx context.Context, m models.OutboxMessage) error {
	msg, err := s.Message(m)
	if err != nil {
		return err
	}
	if s.client != nil {
		return s.client.DialAndSendWithContext(ctx, msg)
	}
	// Written whole under a temporary name, then renamed: a reader never
	// sees half a file.
	name := filepath.Join(s.cfg.Dir, fmt.Sprintf("%06d-%s.eml", m.ID, m.Kind))
	f, err := os.CreateTemp(s.cfg.Dir, ".partial-*")
	if err != nil {
		return err
	}
	if _, err := msg.WriteTo(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), name)
}
