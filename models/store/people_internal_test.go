package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
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
	keep := func(u *models.User, tok string) (models.Mail, error) {
		token = tok
		return models.Mail{To: u.Email, Kind: models.MailInvitation, Subject: "x", Text: tok}, nil
	}
	u, err := s.InviteUser(ctx, models.CLIActor(), models.Invitation{Email: "new@example.org", Name: "New", Role: models.RoleStaff, Language: "en"}, keep)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.TokenUser(ctx, models.TokenInvitation, token); err != nil || got.ID != u.ID {
		t.Fatalf("fresh link: %v, %v", got, err)
	}
	if _, err := s.TokenUser(ctx, models.TokenReset, token); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("an invitation used as a reset link: %v", err)
	}
	age := func(d time.Duration) {
		t.Helper()
		if err := s.db.Exec("UPDATE user_tokens SET expires_at = ?", time.Now().UTC().Add(-d)).Error; err != nil {
			t.Fatal(err)
		}
	}
	age(time.Second)
	if _, err := s.TokenUser(ctx, models.TokenInvitation, token); !errors.Is(err, models.ErrTokenExpired) {
		t.Errorf("expired invitation: %v", err)
	}
	if _, err := s.UseToken(ctx, models.TokenInvitation, token, "orbit lantern cactus mosaic"); !errors.Is(err, models.ErrTokenExpired) {
		t.Errorf("using an expired invitation: %v", err)
	}
	if got, _ := s.User(ctx, u.ID); got.Status() != models.UserInvited {
		t.Errorf("an expired link set the password")
	}
	// The lifetimes themselves.
	var row struct{ ExpiresAt, CreatedAt time.Time }
	if err := s.ResendInvitation(ctx, models.CLIActor(), u.ID, keep); err != nil {
		t.Fatal(err)
	}
	s.db.Raw("SELECT expires_at, created_at FROM user_tokens WHERE purpose = ?", models.TokenInvitation).Scan(&row)
	if d := row.ExpiresAt.Sub(row.CreatedAt); d != models.InvitationTTL {
		t.Errorf("invitation valid for %v", d)
	}
	if _, err := s.UseToken(ctx, models.TokenInvitation, token, "orbit lantern cactus mosaic"); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPasswordReset(ctx, "new@example.org", "192.0.2.1", keep); err != nil {
		t.Fatal(err)
	}
	s.db.Raw("SELECT expires_at, created_at FROM user_tokens WHERE purpose = ?", models.TokenReset).Scan(&row)
	if d := row.ExpiresAt.Sub(row.CreatedAt); d != models.ResetTTL {
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
		"learnthroughlife":            "common_password", // the demo password
		"LearnThroughLife2026":        "common_password",
		"Learn Through Life 2026":     "common_password",
		"learn-through-life!":         "common_password",
		"learningcitytracker":         "common_password",
		"Learning City Tracker":       "common_password",
		"orbit lantern cactus mosaic": "",
		"x7#Kq9!vLp2@Zr":              "",
	} {
		err := models.CheckNewPassword(pw, "Amina Idrissi", "amina@fes.example")
		got := ""
		if fe, ok := models.AsFieldErrors(err); ok {
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
		if err := s.enqueue(models.Mail{To: to, Kind: models.MailPublished, Subject: "x", Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().UTC().Add(-models.OutboxRetention - time.Hour)
	s.db.Exec("UPDATE outbox SET status = ?, created_at = ? WHERE recipient = ?", models.OutboxSent, old, "sent@example.org")
	s.db.Exec("UPDATE outbox SET created_at = ? WHERE recipient = ?", old, "waiting@example.org")
	s.db.Exec("UPDATE outbox SET status = ? WHERE recipient = ?", models.OutboxSent, "recent@example.org")
	eml := filepath.Join(dir, "000001-story_published.eml")
	os.WriteFile(eml, []byte("x"), 0o600)
	n, err := s.PruneOutbox(ctx, dir)
	if err != nil || n != 1 {
		t.Fatalf("PruneOutbox = %d, %v", n, err)
	}
	left, _ := s.Outbox(ctx, models.OutboxFilter{})
	if len(left) != 2 {
		t.Errorf("%d messages left, want the waiting and the recent one", len(left))
	}
	if _, err := os.Stat(eml); !os.IsNotExist(err) {
		t.Errorf("the .eml file of the pruned message is still there: %v", err)
	}
}
