package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// user runs the user subcommands.
func user(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New(`usage: tracker user add -email EMAIL -name NAME -role staff|coordinator [-cities slug,slug]`)
	}
	var s settings
	fs := newFlagSet("user add", stderr)
	s.flags(fs, getenv)
	email := fs.String("email", "", "the user's email address (their login)")
	name := fs.String("name", "", "the user's full name")
	role := fs.String("role", string(models.RoleCoordinator), "staff or coordinator")
	cities := fs.String("cities", "", "comma-separated slugs of a coordinator's cities")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: tracker user add [flags]\nThe password is read from standard input (asked twice on a terminal).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := s.openStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	var cityIDs []uint
	for _, slug := range strings.Split(*cities, ",") {
		if slug = strings.TrimSpace(slug); slug == "" {
			continue
		}
		city, err := st.CityBySlug(ctx, slug)
		if err != nil {
			return fmt.Errorf("city %q: %w", slug, err)
		}
		cityIDs = append(cityIDs, city.ID)
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	// The same rule as on the web: 12 characters, and not a common or
	// breached password.
	if err := models.CheckNewPassword(password, *email, *name); err != nil {
		return fmt.Errorf("user not created: %w", err)
	}
	u, err := st.CreateUser(ctx, models.CLIActor(), models.NewUser{
		Email: *email, Name: *name, Password: password, Role: models.Role(*role), CityIDs: cityIDs,
	})
	if fe, ok := models.AsFieldErrors(err); ok {
		return fmt.Errorf("user not created: %s", fe.Error())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s %s (id %d).\n", u.Role, u.Email, u.ID)
	return nil
}

// readPassword asks for the password twice on a terminal, or reads the
// first line of a pipe.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(p1) != string(p2) {
			return "", errors.New("the passwords differ")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
