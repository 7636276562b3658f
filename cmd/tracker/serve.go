package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/mail"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// softMemoryLimit is the heap size past which the collector runs hard,
// unless GOMEMLIMIT says otherwise.
const softMemoryLimit = 192 << 20

// serve runs the web server until ctx is cancelled, then shuts down
// gracefully.
func serve(ctx context.Context, args []string, getenv env, log *slog.Logger, stdout, stderr io.Writer) error {
	var s settings
	fs := newFlagSet("serve", stderr)
	s.flags(fs, getenv)
	withDemo := fs.Bool("demo", false, "load the demo data into an empty database and print the demo logins")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if getenv("GOMEMLIMIT") == "" {
		// A soft ceiling for the heap: the collector works harder near it
		// rather than let photo decodes pile garbage up (README, Security).
		debug.SetMemoryLimit(softMemoryLimit)
	}
	proxies, err := s.proxies()
	if err != nil {
		return err
	}
	st, err := s.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	if *withDemo {
		if err := loadDemo(ctx, st, stdout); err != nil {
			return err
		}
	}
	catalog, err := views.NewCatalog()
	if err != nil {
		return err
	}
	// Changes write their mails (a published story, a reviewed report),
	// and the sender its digests, with the catalogs and public address
	// of the pages.
	mailer := views.Mailer{Catalog: catalog, BaseURL: strings.TrimSuffix(s.publicURL(), "/")}
	st.SetNotifier(mailer)
	mailCfg := s.mailConfig()
	mailCfg.Digests = mailer
	mailCfg.DigestHour = 7
	sender, err := mail.New(st, mailCfg, log)
	if err != nil {
		return err
	}
	var background sync.WaitGroup
	e, err := handlers.New(st, handlers.Config{TrustedProxies: proxies, SecureCookies: s.secureCookies, BaseURL: s.publicURL(),
		MailToFiles: sender.ToFiles(), RequireStaffTwoFactor: s.requireStaff2FA, Background: &background, Catalog: catalog}, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		// A 15 MB photo over a slow phone link (1 Mbit/s) takes two minutes:
		// the body may take three. The work of a request has its own,
		// shorter deadline (handlers.Config.Deadline).
		ReadTimeout:  3 * time.Minute,
		WriteTimeout: 4 * time.Minute,
		IdleTimeout:  120 * time.Second,
	}
	pruneCtx, stopPrune := context.WithCancel(ctx)
	pruned := make(chan struct{})
	go func() {
		defer close(pruned)
		prune(pruneCtx, st, s.retention(), filepath.Join(s.dataDir, "outbox"), log)
	}()
	mailed := make(chan struct{})
	go func() {
		defer close(mailed)
		sender.Run(pruneCtx)
	}()
	// The st closes only once prune and the mail sender have stopped.
	defer func() {
		stopPrune()
		<-pruned
		<-mailed
	}()
	log.Info("listening", "addr", "http://"+displayAddr(ln.Addr()), "database", s.dsn())
	// The address is printed once the port is open, so that a caller that
	// asked for port 0 (the tests) learns which one it got.
	fmt.Fprintf(stdout, "Listening on http://%s\n", displayAddr(ln.Addr()))
	if sender.ToFiles() {
		fmt.Fprintf(stdout, "No TRACKER_SMTP_URL: mails are written under %s; staff read them at http://%s/manage/outbox\n",
			mailCfg.Dir, displayAddr(ln.Addr()))
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	waitBackground(&background, handlers.ImportDeadline, log)
	return nil
}

// waitBackground waits, up to limit, for the work requests left running
// (confirmed imports): stopped, each would roll back, and its coordinator
// would have to confirm it again.
func waitBackground(background *sync.WaitGroup, limit time.Duration, log *slog.Logger) {
	done := make(chan struct{})
	go func() {
		background.Wait()
		close(done)
	}()
	select {
	case <-done:
		return
	case <-time.After(time.Second):
		log.Info("waiting for the imports under way", "at most", limit)
	}
	select {
	case <-done:
	case <-time.After(limit):
		log.Warn("stopping with imports under way: they roll back")
	}
}

// loadDemo seeds an empty database and prints the demo logins.
func loadDemo(ctx context.Context, st *store.Store, stdout io.Writer) error {
	err := demo.Seed(ctx, st, time.Now().UTC())
	switch {
	case errors.Is(err, store.ErrNotEmpty):
		fmt.Fprintln(stdout, "The database already has data; demo data not loaded.")
	case err != nil:
		return fmt.Errorf("load demo data: %w", err)
	default:
		fmt.Fprintln(stdout, "Demo data loaded.")
	}
	printDemoLogins(stdout)
	return nil
}

// printDemoLogins lists the demo accounts and their password.
func printDemoLogins(stdout io.Writer) {
	fmt.Fprintf(stdout, "Demo logins (password %q):\n", demo.Password)
	for _, l := range demo.Logins() {
		fmt.Fprintf(stdout, "  %-22s %s, %s\n", l.Email, l.Role, l.Cities)
	}
}

// prune erases the stories rejected longer ago than retention, at once
// and then every ten minutes, when it also deletes expired sessions, old
// login failures, and mails sent or given up on more than 30 days ago
// (with their .eml files under outbox). It stops with ctx.
func prune(ctx context.Context, st *store.Store, retention time.Duration, outbox string, log *slog.Logger) {
	eraseExpired := func() {
		n, err := st.EraseRejectedStories(ctx, time.Now().Add(-retention))
		if err != nil && ctx.Err() == nil {
			log.Warn("erase rejected stories", "err", err)
		}
		if n > 0 {
			log.Info("erased rejected stories past their retention period", "stories", n, "retention_days", int(retention.Hours()/24))
		}
	}
	eraseExpired()
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			eraseExpired()
			if err := st.PruneSessions(ctx); err != nil {
				log.Warn("prune sessions", "err", err)
			}
			if err := st.PruneLoginFailures(ctx); err != nil {
				log.Warn("prune login failures", "err", err)
			}
			if err := st.PruneRateEvents(ctx); err != nil {
				log.Warn("prune rate limits", "err", err)
			}
			if _, err := st.PruneOutbox(ctx, outbox); err != nil {
				log.Warn("prune outbox", "err", err)
			}
			if err := st.PruneUploads(ctx); err != nil {
				log.Warn("prune uploads", "err", err)
			}
			// Erasures checkpoint the log themselves; this catches one that
			// a long reader kept from completing.
			if err := st.Checkpoint(ctx); err != nil {
				log.Warn("checkpoint", "err", err)
			}
		}
	}
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		if ok {
			return fmt.Sprintf("localhost:%d", tcp.Port)
		}
	}
	return a.String()
}
