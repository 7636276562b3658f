// Command tracker runs the LearnThroughLife tracker: the web server and
// its maintenance subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Usage: tracker <command> [flags]

Commands:
  serve     start the web server (migrates the database first)
  migrate   bring the database schema up to date
  seed      load the demo data into an empty database
  user add  create a user account
  backup    make a consistent online copy of the SQLite database

Settings come from the environment, with flags to match:
  TRACKER_ADDR             listen address (default :8080)
  DATABASE_URL             database (default: a SQLite file under the data directory)
  TRACKER_DATA_DIR         data directory (default data/)
  TRACKER_TRUSTED_PROXIES  comma-separated CIDRs of reverse proxies to trust
  TRACKER_SECURE_COOKIES   "true" to always mark cookies Secure
  TRACKER_BASE_URL         the public address, for links in feeds and mails
  TRACKER_SMTP_URL         SMTP server for mail (default: mails as files under the data directory)
  TRACKER_MAIL_FROM        sender of mails (default noreply@ the public address's host)
  TRACKER_REQUIRE_STAFF_2FA  "true" to make staff sign in with a code from an app
  TRACKER_REJECTED_RETENTION_DAYS  days a rejected story is kept (default 90)
  TRACKER_SECRET_KEY       key that encrypts two-factor secrets, 32 bytes in hex or base64 (default: made into DATA_DIR/secret.key)
  TRACKER_SECRET_KEY_PREVIOUS  the former key, during a rotation

Run "tracker <command> -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "tracker:", err)
		}
		os.Exit(1)
	}
}

// env is how run reads the environment; tests pass their own.
type env func(string) string

// run is the whole program: it parses the command line and runs one
// command until it ends or ctx is cancelled.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, log, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "seed":
		return seed(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return user(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
