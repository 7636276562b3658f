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
	// maxCodeTries is how many codes a sign-in may try per quarter hour.
	maxCodeTries = 5
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
	var codes []string
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("UPDATE users SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?",
			secret, step, time.Now().UTC(), u.ID).Error; err != nil {
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

// CheckSecondFactor accepts a code from u's app, once (a code seen before
// is refused), or one of u's unused recovery codes, which it spends. It
// refuses with ErrThrottled after maxCodeTries tries in a quarter hour.
func (s *Store) CheckSecondFactor(ctx context.Context, u *models.User, code, clientIP string) error {
	ok, err := s.Allow(ctx, "totp", fmt.Sprint(u.ID), maxCodeTries, throttleWindow)
	if err != nil {
		return err
	}
	if !ok {
		return models.ErrThrottled
	}
	return s.Tx(ctx, func(tx *Store) error {
		var cur models.User
		if err := tx.db.First(&cur, u.ID).Error; err != nil {
			return translate(err)
		}
		if step := totpStep(cur.TOTPSecret, code, time.Now()); step != 0 && cur.TOTPSecret != "" {
			res := tx.db.Exec("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, u.ID, step)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				return nil
			}
			return models.ErrBadCode // this code, or a later one, was used already
		}
		res := tx.db.Exec("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
			time.Now().UTC(), u.ID, hashRecovery(code))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrBadCode
		}
		return tx.audit(u.Actor(), models.AuditRecoveryCode, models.EntityUser, u.ID, nil, u.Email+" ("+clientIP+")")
	})
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
