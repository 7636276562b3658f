package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"image"
	"net/url"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"
)

// Two-factor settings: RFC 6238 codes of 6 digits every 30 seconds, one
// step of clock drift either way, and RecoveryCodes single-use codes.
const (
	totpPeriod    = 30
	RecoveryCodes = 10
	// maxCodeFailures is how many wrong codes a sign-in attempt may give
	// per quarter hour; maxCodeFailuresAddress, how many an account may
	// get from one address over all its attempts.
	maxCodeFailures        = 5
	maxCodeFailuresAddress = 20
)

// NewTOTPKey makes a new secret for u's authenticator app; it is kept only
// once EnableTwoFactor confirms a code made from it.
func NewTOTPKey(u *models.User, issuer string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod})
}

// totpStep checks code against secret at now and returns the time step it
// was made for, or 0.
func totpStep(secret, code string, now time.Time) int64 {
	code = strings.TrimSpace(code)
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		ok, err := totp.ValidateCustom(code, secret, at, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && ok {
			return at.Unix() / totpPeriod
		}
	}
	return 0
}

// EnableTwoFactor turns two-factor sign-in on for u when code was made
// from secret, and returns new recovery codes, to be shown once.
func (s *Store) EnableTwoFactor(ctx context.Context, u *models.User, secret, code string) ([]string, error) {
	step := totpStep(secret, code, time.Now())
	if step == 0 {
		return nil, models.FieldErrors{"code": {Code: "bad_code"}}
	}
	sealed, err := s.seal(secret, totpContext(u.ID))
	if err != nil {
		return nil, err
	}
	var codes []string
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("UPDATE users SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?",
			sealed, step, time.Now().UTC(), u.ID).Error; err != nil {
			return err
		}
		var err error
		if codes, err = tx.newRecoveryCodes(u.ID); err != nil {
			return err
		}
		return tx.audit(u.Actor(), models.AuditTwoFactorOn, models.EntityUser, u.ID, nil, u.Email)
	})
	return codes, err
}

// DisableTwoFactor turns two-factor sign-in off for u.
func (s *Store) DisableTwoFactor(ctx context.Context, actor models.Actor, u *models.User) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("UPDATE users SET totp_secret = '', totp_last_step = 0, updated_at = ? WHERE id = ?", time.Now().UTC(), u.ID).Error; err != nil {
			return err
		}
		if err := tx.db.Exec("DELETE FROM recovery_codes WHERE user_id = ?", u.ID).Error; err != nil {
			return err
		}
		return tx.audit(actor, models.AuditTwoFactorOff, models.EntityUser, u.ID, nil, u.Email)
	})
}

// newRecoveryCodes replaces u's recovery codes.
func (s *Store) newRecoveryCodes(userID uint) ([]string, error) {
	if err := s.db.Exec("DELETE FROM recovery_codes WHERE user_id = ?", userID).Error; err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodes)
	for i := range codes {
		var b [10]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		c := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
		codes[i] = c[:4] + "-" + c[4:8] + "-" + c[8:12]
		if err := s.db.Exec("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, hashRecovery(codes[i])).Error; err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// hashRecovery is what the database keeps of a recovery code: its
// SHA-256, ignoring case, spaces and hyphens.
func hashRecovery(code string) string {
	code = strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// codeLimits are the limits of wrong codes: per sign-in attempt (a right
// password starts one), and, wider, per account and address, so that one
// cannot guess on by signing in again. There is no limit per account
// alone: wrong codes from elsewhere never refuse the owner's.
func codeLimits(userID uint, attempt, clientIP string) []rateLimit {
	return []rateLimit{
		{bucket: "totp-attempt", client: attempt, n: maxCodeFailures},
		{bucket: "totp-ip-user", client: fmt.Sprintf("%d %s", userID, clientIP), n: maxCodeFailuresAddress},
	}
}

// CheckSecondFactor accepts a code from u's app, once (a code seen before
// is refused), or one of u's unused recovery codes, which it spends.
// attempt names the sign-in (the session waiting for the code). Only
// wrong codes count: after too many (codeLimits) in a quarter hour, codes
// of the app are refused with a *models.ThrottledError saying for how
// long; recovery codes, too long to guess, are still accepted.
func (s *Store) CheckSecondFactor(ctx context.Context, u *models.User, code, attempt, clientIP string) error {
	if attempt == "" {
		return models.ErrBadCode
	}
	limits := codeLimits(u.ID, attempt, clientIP)
	bad := false
	var wait time.Duration
	err := s.Tx(ctx, func(tx *Store) error {
		var err error
		if wait, err = tx.throttledFor(limits, throttleWindow); err != nil {
			return err
		}
		var cur models.User
		if err := tx.db.First(&cur, u.ID).Error; err != nil {
			return translate(err)
		}
		if wait == 0 && cur.TOTPSecret != "" {
			secret, _, err := tx.open(cur.TOTPSecret, totpContext(u.ID))
			if err != nil {
				return fmt.Errorf("two-factor secret of account %d: %w", u.ID, err)
			}
			if step := totpStep(secret, code, time.Now()); step != 0 {
				res := tx.db.Exec("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, u.ID, step)
				if res.Error != nil {
					return res.Error
				}
				if res.RowsAffected == 1 {
					return tx.auditLogin(models.AuditSignIn, &cur, clientIP)
				}
				// This code, or a later one, was used already.
				bad = true
				return tx.refuseCode(limits, &cur, clientIP)
			}
		}
		res := tx.db.Exec("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
			time.Now().UTC(), u.ID, hashRecovery(code))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			bad = true
			if wait > 0 {
				return nil // refused already: the refusal is not lengthened
			}
			return tx.refuseCode(limits, &cur, clientIP)
		}
		if err := tx.audit(u.Actor(), models.AuditRecoveryCode, models.EntityUser, u.ID, nil, u.Email+" ("+clientIP+")"); err != nil {
			return err
		}
		return tx.auditLogin(models.AuditSignIn, &cur, clientIP)
	})
	switch {
	case err != nil:
		return err
	case bad && wait > 0:
		return &models.ThrottledError{RetryAfter: wait}
	case bad:
		return models.ErrBadCode
	}
	return nil
}

// refuseCode counts a wrong code in every limit and records it; the
// limits bound the entries, as they bound the guesses.
func (s *Store) refuseCode(limits []rateLimit, u *models.User, clientIP string) error {
	if err := s.recordFailure(limits); err != nil {
		return err
	}
	return s.auditLogin(models.AuditCodeRefused, u, clientIP)
}

// recordFailure counts one wrong code in every limit.
func (s *Store) recordFailure(limits []rateLimit) error {
	now := time.Now().UTC()
	for _, l := range limits {
		if err := s.db.Exec("INSERT INTO rate_events (bucket, client, created_at) VALUES (?, ?, ?)", l.bucket, l.client, now).Error; err != nil {
			return err
		}
	}
	return nil
}

// throttledFor is how long the first of limits that is reached still
// refuses (0: none is), counting the events of the last window.
func (s *Store) throttledFor(limits []rateLimit, window time.Duration) (time.Duration, error) {
	now := time.Now().UTC()
	var wait time.Duration
	for _, l := range limits {
		var times []time.Time
		if err := s.db.Table("rate_events").Where("bucket = ? AND client = ? AND created_at > ?", l.bucket, l.client, now.Add(-window)).
			Order("created_at").Pluck("created_at", &times).Error; err != nil {
			return 0, err
		}
		if len(times) < l.n {
			continue
		}
		// The refusal ends when the count falls below the limit.
		if w := times[len(times)-l.n].Add(window).Sub(now); w > wait {
			wait = w
		}
	}
	return wait, nil
}

// RecoveryCodesLeft counts u's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, u *models.User) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("recovery_codes").Where("user_id = ? AND used_at IS NULL", u.ID).Count(&n).Error
	return int(n), err
}

// CheckPassword reports whether password is u's current password.
func (s *Store) CheckPassword(ctx context.Context, u *models.User, password string) (bool, error) {
	var stored models.User
	if err := s.db.WithContext(ctx).First(&stored, u.ID).Error; err != nil {
		return false, translate(err)
	}
	return stored.PasswordHash != "" && bcrypt.CompareHashAndPassword([]byte(stored.PasswordHash), []byte(password)) == nil, nil
}

// TOTPImage is the QR code of an otpauth:// URL, for an authenticator app
// to scan.
func TOTPImage(otpURL string) (image.Image, error) {
	key, err := otp.NewKeyFromURL(otpURL)
	if err != nil {
		return nil, err
	}
	return key.Image(200, 200)
}

// TOTPURL is the otpauth:// URL of secret for u's authenticator app.
func TOTPURL(u *models.User, issuer, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {issuer}, "period": {fmt.Sprint(totpPeriod)}, "digits": {"6"}, "algorithm": {"SHA1"}}
	return "otpauth://totp/" + url.PathEscape(issuer+":"+u.Email) + "?" + q.Encode()
}
