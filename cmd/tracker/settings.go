package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models/mail"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// settings are the values every command reads from the environment,
// overridable with flags.
type settings struct {
	addr           string
	databaseURL    string
	dataDir        string
	trustedProxies string
	secureCookies  bool
	baseURL        string
	// smtpURL and mailFrom say where mail goes and whom it is from; with
	// no SMTP URL, mails are written as files under DATA_DIR/outbox.
	smtpURL  string
	mailFrom string
	// requireStaff2FA makes staff turn on two-factor sign-in.
	requireStaff2FA bool
	// retentionDays is how long rejected stories are kept before their
	// content is erased.
	retentionDays int
	// secretKey seals the two-factor secrets (hex or base64, 32 bytes;
	// default: DATA_DIR/secret.key, made at first start); secretKeyPrevious
	// opens those sealed before a rotation.
	secretKey         string
	secretKeyPrevious string
}

// flags registers the settings' flags on fs, with defaults from getenv.
func (s *settings) flags(fs *flag.FlagSet, getenv env) {
	def := func(key, fallback string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return fallback
	}
	secure, _ := strconv.ParseBool(getenv("TRACKER_SECURE_COOKIES"))
	retention, err := strconv.Atoi(def("TRACKER_REJECTED_RETENTION_DAYS", "90"))
	if err != nil {
		retention = -1 // refused by check, with the setting named
	}
	fs.StringVar(&s.addr, "addr", def("TRACKER_ADDR", ":8080"), "listen address (TRACKER_ADDR)")
	fs.StringVar(&s.databaseURL, "database-url", getenv("DATABASE_URL"), "database URL or SQLite file (DATABASE_URL; default DATA_DIR/tracker.db)")
	fs.StringVar(&s.dataDir, "data-dir", def("TRACKER_DATA_DIR", "data"), "data directory (TRACKER_DATA_DIR)")
	fs.StringVar(&s.trustedProxies, "trusted-proxies", getenv("TRACKER_TRUSTED_PROXIES"), "comma-separated CIDRs of trusted reverse proxies (TRACKER_TRUSTED_PROXIES)")
	fs.BoolVar(&s.secureCookies, "secure-cookies", secure, "always mark cookies Secure (TRACKER_SECURE_COOKIES)")
	fs.StringVar(&s.baseURL, "base-url", getenv("TRACKER_BASE_URL"), "the public address, for links in feeds and mails (TRACKER_BASE_URL; default http://localhost:PORT)")
	fs.StringVar(&s.smtpURL, "smtp-url", getenv("TRACKER_SMTP_URL"), "SMTP server for mail, smtp://user:pass@host:587 or smtps://…:465 (TRACKER_SMTP_URL; default: write mails as files under DATA_DIR/outbox)")
	fs.StringVar(&s.mailFrom, "mail-from", getenv("TRACKER_MAIL_FROM"), "sender of mails, such as \"LearnThroughLife <noreply@example.org>\" (TRACKER_MAIL_FROM; default noreply@ the base URL's host)")
	require2FA, _ := strconv.ParseBool(getenv("TRACKER_REQUIRE_STAFF_2FA"))
	fs.BoolVar(&s.requireStaff2FA, "require-staff-2fa", require2FA, "staff must sign in with a code from an authenticator app (TRACKER_REQUIRE_STAFF_2FA)")
	fs.StringVar(&s.secretKey, "secret-key", getenv("TRACKER_SECRET_KEY"), "key that encrypts two-factor secrets, 32 bytes in hex or base64; prefer the environment, flags show in the process list (TRACKER_SECRET_KEY; default: DATA_DIR/secret.key, made at first start)")
	fs.StringVar(&s.secretKeyPrevious, "secret-key-previous", getenv("TRACKER_SECRET_KEY_PREVIOUS"), "the former key, during a rotation: its values are encrypted again with the new one at start (TRACKER_SECRET_KEY_PREVIOUS)")
	fs.IntVar(&s.retentionDays, "rejected-retention-days", retention, "days a rejected story is kept before its content is erased (TRACKER_REJECTED_RETENTION_DAYS)")
}

// check refuses settings that cannot work.
func (s *settings) check() error {
	if s.retentionDays < 1 {
		return errors.New("TRACKER_REJECTED_RETENTION_DAYS (-rejected-retention-days) must be a whole number of days, at least 1")
	}
	return nil
}

// publicURL is the site's public address: TRACKER_BASE_URL, else the
// listen address on localhost, for a server run on one's own machine.
func (s *settings) publicURL() string {
	if s.baseURL != "" {
		return s.baseURL
	}
	_, port, err := net.SplitHostPort(s.addr)
	if err != nil || port == "" {
		return "http://localhost"
	}
	return "http://localhost:" + port
}

// mailConfig is where mail goes: the SMTP server, or files under the
// data folder; the sender defaults to noreply@ the public address's host.
func (s *settings) mailConfig() mail.Config {
	from := s.mailFrom
	if from == "" {
		host := "localhost"
		if u, err := url.Parse(s.publicURL()); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		from = "LearnThroughLife <noreply@" + host + ">"
	}
	return mail.Config{SMTPURL: s.smtpURL, From: from, BaseURL: s.publicURL(), Dir: filepath.Join(s.dataDir, "outbox")}
}

// retention is how long rejected stories are kept.
func (s *settings) retention() time.Duration {
	return time.Duration(s.retentionDays) * 24 * time.Hour
}

// ledgerPath is the erasure ledger: in the data directory, beside the
// photos, where a restore of the database from a backup does not reach.
func (s *settings) ledgerPath() string { return filepath.Join(s.dataDir, "erasures.log") }

// dsn is the database to open: DATABASE_URL, else a file in the data dir.
func (s *settings) dsn() string {
	if s.databaseURL != "" {
		return s.databaseURL
	}
	return filepath.Join(s.dataDir, "tracker.db")
}

// photoDir is where uploaded photos are kept: under the data directory,
// which several instances must share.
func (s *settings) photoDir() string { return filepath.Join(s.dataDir, "photos") }

// proxies parses the trusted proxy networks.
func (s *settings) proxies() ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(s.trustedProxies, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if strings.Contains(part, ":") {
				part += "/128"
			} else {
				part += "/32"
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %w", err)
		}
		out = append(out, n)
	}
	return out, nil
}

// openStore opens and migrates the database, then erases again the
// stories the erasure ledger lists, should a restore have brought any back.
func (s *settings) openStore(ctx context.Context, stderr io.Writer) (*store.Store, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	current, previous, err := s.secretKeys(stderr)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(s.dsn(), s.photoDir(), store.WithSecretKeys(current, previous))
	if err != nil {
		return nil, err
	}
	st = st.WithErasureLedger(s.ledgerPath())
	// An existing database may take minutes to bring up to date (indexes
	// over millions of stories): say so rather than look stuck.
	if v, err := st.SchemaVersion(ctx); err == nil && v > 0 && v < store.SchemaLatest() {
		fmt.Fprintf(stderr, "Updating the database from schema version %d to %d: on a large database this can take a few minutes (Ctrl-C stops it and undoes the step under way).\n", v, store.SchemaLatest())
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	sealed, err := st.EncryptSecrets(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("%w (the key is TRACKER_SECRET_KEY, else %s; after a change of key, give the former one as TRACKER_SECRET_KEY_PREVIOUS)", err, s.keyPath())
	}
	if sealed > 0 {
		fmt.Fprintf(stderr, "Encrypted %d two-factor secrets with the current secret key.\n", sealed)
	}
	n, err := st.ReplayErasures(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("replay the erasure ledger %s: %w", s.ledgerPath(), err)
	}
	if n > 0 {
		fmt.Fprintf(stderr, "Erased again %d withdrawn or expired stories that the database had brought back (erasure ledger %s).\n", n, s.ledgerPath())
	}
	return st, nil
}

// keyPath is the file of the secret key when TRACKER_SECRET_KEY is unset.
func (s *settings) keyPath() string { return filepath.Join(s.dataDir, "secret.key") }

// secretKeys are the keys that seal the two-factor secrets: the current
// one, from TRACKER_SECRET_KEY, else from DATA_DIR/secret.key, made (mode
// 0600) if missing; and the previous one, if set.
func (s *settings) secretKeys(stderr io.Writer) (current, previous []byte, err error) {
	if s.secretKeyPrevious != "" {
		if previous, err = store.ParseSecretKey(s.secretKeyPrevious); err != nil {
			return nil, nil, fmt.Errorf("TRACKER_SECRET_KEY_PREVIOUS: %w", err)
		}
	}
	if s.secretKey != "" {
		if current, err = store.ParseSecretKey(s.secretKey); err != nil {
			return nil, nil, fmt.Errorf("TRACKER_SECRET_KEY: %w", err)
		}
		return current, previous, nil
	}
	path := s.keyPath()
	if err := os.MkdirAll(s.dataDir, 0o700); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		_, err = f.WriteString(store.NewSecretKey() + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return nil, nil, fmt.Errorf("write the secret key: %w", err)
		}
		fmt.Fprintf(stderr, "Made a new secret key in %s, which encrypts the two-factor secrets: back it up apart from the database.\n", path)
	} else if !errors.Is(err, os.ErrExist) {
		return nil, nil, fmt.Errorf("secret key: %w", err)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("secret key: %w", err)
	}
	if current, err = store.ParseSecretKey(string(text)); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return current, previous, nil
}

// newFlagSet makes a flag set that reports to stderr and returns errors.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
