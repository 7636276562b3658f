package models

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLinksExpire ages an invitation past its 7 days and a reset link past
// its hour: both are refused as expired, and using them writes nothing.
func TestLinksExpire(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "test.db"), filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var token string
	keep := func(u *User, tok string) (Mail, error) {
		token = tok
		return Mail{To: u.Email, Kind: MailInvitation, Subject: "x", Text: tok}, nil
	}
	u, err := s.InviteUser(ctx, CLIActor(), Invitation{Email: "new@example.org", Name: "New", Role: RoleStaff, Language: "en"}, keep)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.TokenUser(ctx, TokenInvitation, token); err != nil || got.ID != u.ID {
		t.Fatalf("fresh link: %v, %v", got, err)
	}
	if _, err := s.TokenUser(ctx, TokenReset, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("an invitation used as a reset link: %v", err)
	}
	age := func(d time.Duration) {
		t.Helper()
		if err := s.db.Exec("UPDATE user_tokens SET expires_at = ?", time.Now().UTC().Add(-d)).Error; err != nil {
			t.Fatal(err)
		}
	}
	age(time.Second)
	if _, err := s.TokenUser(ctx, TokenInvitation, token); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("expired invitation: %v", err)
	}
	if _, err := s.UseToken(ctx, TokenInvitation, token, "orbit lantern cactus mosaic"); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("using an expired invitation: %v", err)
	}
	if got, _ := s.User(ctx, u.ID); got.Status() != UserInvited {
		t.Errorf("an expired link set the password")
	}
	// The lifetimes themselves.
	var row struct{ ExpiresAt, CreatedAt time.Time }
	if err := s.ResendInvitation(ctx, CLIActor(), u.ID, keep); err != nil {
		t.Fatal(err)
	}
	s.db.Raw("SELECT expires_at, created_at FROM user_tokens WHERE purpose = ?", TokenInvitation).Scan(&row)
	if d := row.ExpiresAt.Sub(row.CreatedAt); d != InvitationTTL {
		t.Errorf("invitation valid for %v", d)
	}
	if _, err := s.UseToken(ctx, TokenInvitation, token, "orbit lantern cactus mosaic"); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPasswordReset(ctx, "new@example.org", "192.0.2.1", keep); err != nil {
		t.Fatal(err)
	}
	s.db.Raw("SELECT expires_at, created_at FROM user_tokens WHERE purpose = ?", TokenReset).Scan(&row)
	if d := row.ExpiresAt.Sub(row.CreatedAt); d != ResetTTL {
		t.Errorf("reset link valid for %v", d)
	}
}

func TestCheckNewPassword(t *testing.T) {
	for pw, want := range map[string]string{
		"short":                       "min",
		"password1234":                "common_password",
		"123456789012":                "common_password",
		"iloveyou2024!":               "common_password",
		"Amina Idrissi":               "common_password",
		"orbit lantern cactus mosaic": "",
		"x7#Kq9!vLp2@Zr":              "",
	} {
		err := CheckNewPassword(pw, "Amina Idrissi", "amina@fes.example")
		got := ""
		if fe, ok := AsFieldErrors(err); ok {
			got = fe["password"].Code
		}
		if got != want {
			t.Errorf("CheckNewPassword(%q) = %q, want %q", pw, got, want)
		}
	}
}

func TestPruneOutboxKeepsWhatIsWaiting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "test.db"), filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"sent@example.org", "waiting@example.org", "recent@example.org"} {
		if err := s.enqueue(Mail{To: to, Kind: MailPublished, Subject: "x", Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().UTC().Add(-OutboxRetention - time.Hour)
	s.db.Exec("UPDATE outbox SET status = ?, created_at = ? WHERE recipient = ?", OutboxSent, old, "sent@example.org")
	s.db.Exec("UPDATE outbox SET created_at = ? WHERE recipient = ?", old, "waiting@example.org")
	s.db.Exec("UPDATE outbox SET status = ? WHERE recipient = ?", OutboxSent, "recent@example.org")
	eml := filepath.Join(dir, "000001-story_published.eml")
	os.WriteFile(eml, []byte("x"), 0o600)
	n, err := s.PruneOutbox(ctx, dir)
	if err != nil || n != 1 {
		t.Fatalf("PruneOutbox = %d, %v", n, err)
	}
	left, _ := s.Outbox(ctx, OutboxFilter{})
	if len(left) != 2 {
		t.Errorf("%d messages left, want the waiting and the recent one", len(left))
	}
	if _, err := os.Stat(eml); !os.IsNotExist(err) {
		t.Errorf("the .eml file of the pruned message is still there: %v", err)
	}
}
