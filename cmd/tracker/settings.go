package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// settings are the values every command reads from the environment,
// overridable with flags.
type settings struct {
	addr           string
	databaseURL    string
	dataDir        string
	trustedProxies string
	secureCookies  bool
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
	fs.StringVar(&s.addr, "addr", def("TRACKER_ADDR", ":8080"), "listen address (TRACKER_ADDR)")
	fs.StringVar(&s.databaseURL, "database-url", getenv("DATABASE_URL"), "database URL or SQLite file (DATABASE_URL; default DATA_DIR/tracker.db)")
	fs.StringVar(&s.dataDir, "data-dir", def("TRACKER_DATA_DIR", "data"), "data directory (TRACKER_DATA_DIR)")
	fs.StringVar(&s.trustedProxies, "trusted-proxies", getenv("TRACKER_TRUSTED_PROXIES"), "comma-separated CIDRs of trusted reverse proxies (TRACKER_TRUSTED_PROXIES)")
	fs.BoolVar(&s.secureCookies, "secure-cookies", secure, "always mark cookies Secure (TRACKER_SECURE_COOKIES)")
}

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

// openStore opens and migrates the database.
func (s *settings) openStore(ctx context.Context) (*models.Store, error) {
	store, err := models.Open(s.dsn(), s.photoDir())
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// newFlagSet makes a flag set that reports to stderr and returns errors.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
