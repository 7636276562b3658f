package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// storedSecret is the staff account's totp_secret column as it is.
func storedSecret(t *testing.T, s *store.Store, id uint) string {
	t.Helper()
	rows := selectAll(t, s, "SELECT totp_secret FROM users WHERE id = ?", id)
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	switch v := rows[0]["totp_secret"].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	default:
		t.Fatalf("totp_secret is %T", v)
		return ""
	}
}

// signInWith gives a fresh code of secret (totp_last_step is reset so
// that the same step may serve again) and reports the error.
func signInWith(t *testing.T, s *store.Store, u *models.User, secret string) error {
	t.Helper()
	must(t, s.RawExec(context.Background(), "UPDATE users SET totp_last_step = 0 WHERE id = ?", u.ID))
	code, err := totp.GenerateCode(secret, time.Now())
	must(t, err)
	return s.CheckSecondFactor(context.Background(), u, code, fmt.Sprint("attempt ", time.Now().UnixNano()), "192.0.2.1")
}

// TestTOTPSecretsSealed: the column keeps the secret sealed with the key,
// sign-in works, clear secrets from before are sealed at start (once), a
// wrong key fails clearly, and a rotation seals again with the new key.
func TestTOTPSecretsSealed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := storetest.NewFixture(t)
	u := f.Staff
	oldKey, newKey, wrongKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32), bytes.Repeat([]byte{3}, 32)
	s := f.Store.Rekeyed(oldKey, nil)

	// Without a key, nothing is kept.
	key, err := store.NewTOTPKey(u, "test")
	must(t, err)
	secret := key.Secret()
	code, err := totp.GenerateCode(secret, time.Now())
	must(t, err)
	if _, err := f.Store.EnableTwoFactor(ctx, u, secret, code); !errors.Is(err, store.ErrNoSecretKey) {
		t.Fatalf("enable without a key: %v", err)
	}
	if got := storedSecret(t, s, u.ID); got != "" {
		t.Fatalf("stored without a key: %q", got)
	}

	_, err = s.EnableTwoFactor(ctx, u, secret, code)
	must(t, err)
	stored := storedSecret(t, s, u.ID)
	if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
		t.Fatalf("stored %q for secret %q", stored, secret)
	}
	must(t, signInWith(t, s, u, secret))

	// A secret kept in clear before is sealed at start, once.
	must(t, s.RawExec(ctx, "UPDATE users SET totp_secret = ? WHERE id = ?", secret, u.ID))
	must(t, signInWith(t, s, u, secret))
	n, err := s.EncryptSecrets(ctx)
	must(t, err)
	if n != 1 {
		t.Errorf("sealed %d, want 1", n)
	}
	again := storedSecret(t, s, u.ID)
	if !strings.HasPrefix(again, "v1:") || strings.Contains(again, secret) {
		t.Fatalf("stored %q after EncryptSecrets", again)
	}
	if n, err := s.EncryptSecrets(ctx); err != nil || n != 0 || storedSecret(t, s, u.ID) != again {
		t.Errorf("EncryptSecrets again: %d, %v", n, err)
	}
	must(t, signInWith(t, s, u, secret))

	// A wrong key fails at start, and a code is not taken for wrong.
	wrong := f.Store.Rekeyed(wrongKey, nil)
	if _, err := wrong.EncryptSecrets(ctx); err == nil || !strings.Contains(err.Error(), "TRACKER_SECRET_KEY") {
		t.Errorf("a wrong key: %v", err)
	}
	if err := signInWith(t, wrong, u, secret); err == nil || errors.Is(err, models.ErrBadCode) {
		t.Errorf("sign-in with a wrong key: %v", err)
	}
	if storedSecret(t, s, u.ID) != again {
		t.Error("a wrong key changed the stored secret")
	}

	// Rotation: the previous key opens, the start seals again with the new.
	rotated := f.Store.Rekeyed(newKey, oldKey)
	must(t, signInWith(t, rotated, u, secret))
	n, err = rotated.EncryptSecrets(ctx)
	must(t, err)
	if n != 1 || storedSecret(t, s, u.ID) == again {
		t.Errorf("rotation sealed %d", n)
	}
	must(t, signInWith(t, f.Store.Rekeyed(newKey, nil), u, secret))
	if _, err := s.EncryptSecrets(ctx); err == nil {
		t.Error("the old key alone still opens the rotated secret")
	}
}
