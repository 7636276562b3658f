package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestCanManageCity(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	tests := []struct {
		name string
		user *models.User
		city uint
		want bool
	}{
		{"anonymous", nil, f.Agadir.ID, false},
		{"staff, any city", f.Staff, f.Fez.ID, true},
		{"coordinator, own city", f.AgadirCoo, f.Agadir.ID, true},
		{"coordinator, other city", f.AgadirCoo, f.Fez.ID, false},
		{"disabled staff", &models.User{Role: models.RoleStaff, Disabled: true}, f.Fez.ID, false},
	}
	for _, tt := range tests {
		if got := tt.user.CanManageCity(tt.city); got != tt.want {
			t.Errorf("%s: CanManageCity = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		user  models.NewUser
		field string
	}{
		{"bad email", models.NewUser{Email: "not-an-email", Name: "X", Password: "a long password", Role: models.RoleStaff}, "email"},
		{"taken email", models.NewUser{Email: "STAFF@example.org", Name: "X", Password: "a long password", Role: models.RoleStaff}, "email"},
		{"short password", models.NewUser{Email: "x@example.org", Name: "X", Password: "short", Role: models.RoleStaff}, "password"},
		{"bad role", models.NewUser{Email: "x@example.org", Name: "X", Password: "a long password", Role: "admin"}, "role"},
		{"staff with cities", models.NewUser{Email: "x@example.org", Name: "X", Password: "a long password", Role: models.RoleStaff, CityIDs: []uint{f.Agadir.ID}}, "cities"},
		{"no name", models.NewUser{Email: "x@example.org", Password: "a long password", Role: models.RoleStaff}, "name"},
	}
	for _, tt := range tests {
		_, err := f.Store.CreateUser(ctx, models.CLIActor(), tt.user)
		fe, ok := models.AsFieldErrors(err)
		if !ok || fe[tt.field].Code == "" {
			t.Errorf("%s: err = %v, want a problem on %s", tt.name, err, tt.field)
		}
	}
	coordinators, err := f.Store.Coordinators(ctx)
	must(t, err)
	if len(coordinators) != 1 {
		t.Errorf("coordinators = %d after refused creations, want 1", len(coordinators))
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	u, err := f.Store.Authenticate(ctx, " Agadir@Example.org ", "a long password", "10.0.0.1")
	must(t, err)
	if u.ID != f.AgadirCoo.ID || len(u.CityIDs) != 1 || u.CityIDs[0] != f.Agadir.ID {
		t.Errorf("authenticated user = %+v", u)
	}
	for _, tt := range []struct{ email, password string }{
		{"agadir@example.org", "wrong password"},
		{"nobody@example.org", "a long password"},
	} {
		if _, err := f.Store.Authenticate(ctx, tt.email, tt.password, "10.0.0.1"); !errors.Is(err, models.ErrBadCredentials) {
			t.Errorf("%s/%s: err = %v, want ErrBadCredentials", tt.email, tt.password, err)
		}
	}
}

func TestLoginThrottledPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	for i := range 5 {
		if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "wrong", "203.0.113.9"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("attempt %d: err = %v", i, err)
		}
	}
	if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "a long password", "203.0.113.9"); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("after 5 failures, right password from the same address: err = %v, want ErrThrottled", err)
	}
	// The attacker's address is throttled, not the account: the real user
	// signs in from their own address.
	if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "a long password", "10.0.0.1"); err != nil {
		t.Fatalf("the account's owner from another address: %v", err)
	}
	if _, err := f.Store.Authenticate(ctx, "staff@example.org", "a long password", "203.0.113.9"); err != nil {
		t.Fatalf("other account: %v", err)
	}
}

func TestLoginThrottledPerAccountAcrossAddresses(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	// The owner has signed in from their usual address before.
	_, err := f.Store.Authenticate(ctx, "agadir@example.org", "a long password", "10.0.0.1")
	must(t, err)
	// Guessing spread over many addresses, a few tries each.
	for i := range models.MaxFailuresPerAccount {
		ip := fmt.Sprintf("198.51.100.%d", i)
		if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "wrong", ip); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("attempt %d: err = %v", i, err)
		}
	}
	if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "a long password", "198.51.100.250"); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("after %d failures from many addresses, a new address: err = %v, want ErrThrottled", models.MaxFailuresPerAccount, err)
	}
	// The owner at their usual address is not locked out.
	if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "a long password", "10.0.0.1"); err != nil {
		t.Fatalf("the owner at a known address: %v", err)
	}
	// ... but their address has its own limit all the same.
	for range 5 {
		f.Store.Authenticate(ctx, "agadir@example.org", "wrong", "10.0.0.1")
	}
	if _, err := f.Store.Authenticate(ctx, "agadir@example.org", "a long password", "10.0.0.1"); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("5 failures from a known address: err = %v, want ErrThrottled", err)
	}
}

func TestLoginAudit(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	secrets := []string{"a long password", "Wrong-Secret-1", "Typed-Into-Email!"}
	_, err := f.Store.Authenticate(ctx, "agadir@example.org", secrets[0], "10.0.0.1")
	must(t, err)
	for range 6 {
		f.Store.Authenticate(ctx, "agadir@example.org", secrets[1], "203.0.113.9")
	}
	// A password typed into the email field is never recorded either.
	f.Store.Authenticate(ctx, secrets[2], secrets[1], "203.0.113.10")
	log, err := f.Store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 100})
	must(t, err)
	count := map[models.AuditAction]int{}
	for _, a := range log.Items {
		count[a.Action]++
		for _, s := range secrets {
			if strings.Contains(a.Summary, s) || strings.Contains(a.UserEmail, s) {
				t.Errorf("audit entry %+v holds a password", a)
			}
		}
		if a.Action == models.AuditSignIn && (a.UserID == nil || *a.UserID != f.AgadirCoo.ID || a.EntityID != f.AgadirCoo.ID) {
			t.Errorf("sign-in entry %+v does not name the user", a)
		}
	}
	// One sign-in; 5 failures then one throttled attempt (recorded once
	// per address and window); one failure for an unknown account.
	if count[models.AuditSignIn] != 1 || count[models.AuditSignInFailed] != 6 || count[models.AuditSignInThrottled] != 1 {
		t.Errorf("audit counts = %v, want 1 sign-in, 6 failures, 1 throttling", count)
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	for i := range 20 {
		email := fmt.Sprintf("guess%d@example.org", i)
		if _, err := f.Store.Authenticate(ctx, email, "wrong", "192.0.2.7"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("attempt %d: err = %v", i, err)
		}
	}
	if _, err := f.Store.Authenticate(ctx, "staff@example.org", "a long password", "192.0.2.7"); !errors.Is(err, models.ErrThrottled) {
		t.Fatalf("after 20 failures from one address: err = %v, want ErrThrottled", err)
	}
	if _, err := f.Store.Authenticate(ctx, "staff@example.org", "a long password", "192.0.2.8"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// TestResetRequestsFromElsewhereDoNotBlockTheOwner: three requests for
// someone's reset link from each of other addresses use up those
// addresses' share, not the owner's: the owner's own request still writes
// its link.
func TestResetRequestsFromElsewhereDoNotBlockTheOwner(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	sent := 0
	compose := func(u *models.User, token string) (models.Mail, error) {
		sent++
		return models.Mail{To: u.Email, Kind: models.MailReset, Subject: "Reset", Text: token}, nil
	}
	for _, ip := range []string{"203.0.113.1", "203.0.113.2"} {
		for i := range 3 {
			if err := f.Store.RequestPasswordReset(ctx, "agadir@example.org", ip, compose); err != nil {
				t.Fatalf("request %d from %s: %v", i, ip, err)
			}
		}
		if err := f.Store.RequestPasswordReset(ctx, "Agadir@example.org", ip, compose); !errors.Is(err, models.ErrThrottled) {
			t.Errorf("a fourth request from %s: %v, want ErrThrottled", ip, err)
		}
	}
	before := sent
	if err := f.Store.RequestPasswordReset(ctx, "agadir@example.org", "198.51.100.7", compose); err != nil {
		t.Fatalf("the owner's own request: %v", err)
	}
	if sent != before+1 {
		t.Errorf("the owner's request wrote %d mails", sent-before)
	}
}
