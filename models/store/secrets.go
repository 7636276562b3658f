package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SecretKeySize is the size of the key that seals the secrets the store
// keeps (AES-256).
const SecretKeySize = 32

// sealedPrefix starts a sealed value: "v1:" + base64(nonce | ciphertext).
const sealedPrefix = "v1:"

// ErrNoSecretKey means the store was opened without WithSecretKeys and
// was asked to seal or open a secret.
var ErrNoSecretKey = errors.New("no secret key to seal two-factor secrets with (TRACKER_SECRET_KEY)")

// secretKeys seal with the current key and open with it or the previous.
type secretKeys struct {
	current, previous cipher.AEAD
}

// WithSecretKeys seals the two-factor secrets with current (AES-256-GCM,
// SecretKeySize bytes) and opens the values sealed with previous (nil for
// none) as well, until EncryptSecrets seals them again with current.
func WithSecretKeys(current, previous []byte) Option {
	return func(s *Store) {
		k := &secretKeys{}
		var err error
		if k.current, err = newAEAD(current); err != nil {
			s.keyErr = fmt.Errorf("secret key: %w", err)
			return
		}
		if previous != nil {
			if k.previous, err = newAEAD(previous); err != nil {
				s.keyErr = fmt.Errorf("previous secret key: %w", err)
				return
			}
		}
		s.keys = k
	}
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("%d bytes, want %d", len(key), SecretKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// ParseSecretKey reads a key written in hex (64 digits) or base64 (44
// characters, standard or URL alphabet).
func ParseSecretKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	var key []byte
	var err error
	if len(text) == 2*SecretKeySize {
		key, err = hex.DecodeString(text)
	} else if key, err = base64.StdEncoding.DecodeString(text); err != nil {
		key, err = base64.URLEncoding.DecodeString(text)
	}
	if err != nil || len(key) != SecretKeySize {
		return nil, fmt.Errorf("a secret key is %d bytes written in hex (64 digits) or base64 (44 characters)", SecretKeySize)
	}
	return key, nil
}

// NewSecretKey makes a random key, written in base64.
func NewSecretKey() string {
	return base64.StdEncoding.EncodeToString(randomBytes(SecretKeySize))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return b
}

// totpContext binds a sealed two-factor secret to its account, so that a
// value copied to another row does not open.
func totpContext(userID uint) []byte { return fmt.Appendf(nil, "totp_secret %d", userID) }

// seal encrypts plain with the current key, bound to context.
func (s *Store) seal(plain string, context []byte) (string, error) {
	if s.keyErr != nil {
		return "", s.keyErr
	}
	if s.keys == nil {
		return "", ErrNoSecretKey
	}
	nonce := randomBytes(s.keys.current.NonceSize())
	out := s.keys.current.Seal(nonce, nonce, []byte(plain), context)
	return sealedPrefix + base64.StdEncoding.EncodeToString(out), nil
}

// open decrypts a sealed value; current reports whether the current key
// sealed it. A value without the prefix, from before sealing, is returned
// as it is.
func (s *Store) open(value string, context []byte) (plain string, current bool, err error) {
	if !strings.HasPrefix(value, sealedPrefix) {
		return value, false, nil
	}
	if s.keyErr != nil {
		return "", false, s.keyErr
	}
	if s.keys == nil {
		return "", false, ErrNoSecretKey
	}
	raw, err := base64.StdEncoding.DecodeString(value[len(sealedPrefix):])
	if err != nil {
		return "", false, errors.New("a sealed secret is not base64")
	}
	for i, key := range []cipher.AEAD{s.keys.current, s.keys.previous} {
		if key == nil || len(raw) < key.NonceSize() {
			continue
		}
		n := key.NonceSize()
		if p, err := key.Open(nil, raw[:n], raw[n:], context); err == nil {
			return string(p), i == 0, nil
		}
	}
	return "", false, errors.New("a sealed secret opens with neither TRACKER_SECRET_KEY nor TRACKER_SECRET_KEY_PREVIOUS: wrong key?")
}

// SealTOTPSecret seals a two-factor secret for account userID, for a
// setup held in the session.
func (s *Store) SealTOTPSecret(userID uint, secret string) (string, error) {
	return s.seal(secret, totpContext(userID))
}

// OpenTOTPSecret opens what SealTOTPSecret sealed.
func (s *Store) OpenTOTPSecret(userID uint, sealed string) (string, error) {
	if !strings.HasPrefix(sealed, sealedPrefix) {
		return "", errors.New("not a sealed secret")
	}
	plain, _, err := s.open(sealed, totpContext(userID))
	return plain, err
}

// EncryptSecrets seals the two-factor secrets kept in clear (from before
// sealing) and seals again with the current key those the previous key
// sealed; those the current key sealed are left. It fails, naming the
// account, when a secret opens with neither key, so that a wrong key
// stops the start instead of refusing every code. It returns how many it
// sealed.
func (s *Store) EncryptSecrets(ctx context.Context) (int, error) {
	if s.keyErr != nil {
		return 0, s.keyErr
	}
	var rows []struct {
		ID         uint
		TOTPSecret string `gorm:"column:totp_secret"`
	}
	if err := s.db.WithContext(ctx).Table("users").Select("id, totp_secret").Where("totp_secret <> ''").Order("id").Find(&rows).Error; err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		plain, current, err := s.open(r.TOTPSecret, totpContext(r.ID))
		if err != nil {
			return n, fmt.Errorf("two-factor secret of account %d: %w", r.ID, err)
		}
		if current {
			continue
		}
		sealed, err := s.seal(plain, totpContext(r.ID))
		if err != nil {
			return n, err
		}
		// Only if unchanged since read: a concurrent start or a new
		// secret wins.
		res := s.db.WithContext(ctx).Exec("UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?", sealed, r.ID, r.TOTPSecret)
		if res.Error != nil {
			return n, res.Error
		}
		n += int(res.RowsAffected)
	}
	return n, nil
}
