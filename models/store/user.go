package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"golang.org/x/crypto/bcrypt"
)

// Login throttling limits: failures counted over the window.
const (
	throttleWindow     = 15 * time.Minute
	maxFailuresPerUser = 5
	maxFailuresPerIP   = 20
	// knownAddressTTL is how long an address an account signed in from is
	// spared the per-address and per-account limits.
	knownAddressTTL = 90 * 24 * time.Hour
)

// ManagedCities are the cities u manages: every city for staff, a
// coordinator's own cities, none for anyone else.
func (s *Store) ManagedCities(ctx context.Context, u *models.User) ([]models.City, error) {
	switch {
	case u.IsStaff():
		return s.Cities(ctx, models.CityFilter{})
	case u == nil:
		return nil, nil
	}
	return s.CitiesByID(ctx, u.CityIDs)
}

// CreateUser stores a new user with a bcrypt hash of the password.
func (s *Store) CreateUser(ctx context.Context, actor models.Actor, nu models.NewUser) (*models.User, error) {
	u := &models.User{Email: models.NormalizeEmail(nu.Email), Name: strings.TrimSpace(nu.Name), Role: nu.Role}
	fe := u.Problems()
	if len([]rune(nu.Password)) < models.MinPasswordLength {
		fe.Add("password", "min", fmt.Sprint(models.MinPasswordLength))
	}
	if len(nu.Password) > 72 {
		fe.Add("password", "max", "72")
	}
	if u.Role == models.RoleStaff && len(nu.CityIDs) > 0 {
		fe.Add("cities", "staff_cities", "")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), s.cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u.PasswordHash = string(hash)
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(u).Error; err != nil {
			if translate(err) == models.ErrDuplicate {
				return models.FieldErrors{"email": {Code: "taken"}}
			}
			return err
		}
		for _, cid := range models.Unique(nu.CityIDs) {
			if err := tx.db.Exec("INSERT INTO user_cities (user_id, city_id) VALUES (?, ?)", u.ID, cid).Error; err != nil {
				return fmt.Errorf("tie user to city %d: %w", cid, err)
			}
		}
		return tx.audit(actor, models.AuditCreate, models.EntityUser, u.ID, nil, u.Email)
	})
	if err != nil {
		return nil, err
	}
	u.CityIDs = models.Unique(nu.CityIDs)
	return u, nil
}

// User returns the user with id and their cities.
func (s *Store) User(ctx context.Context, id uint) (*models.User, error) {
	var u models.User
	if err := s.db.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, translate(err)
	}
	return &u, s.loadUserCities(ctx, &u)
}

func (s *Store) loadUserCities(ctx context.Context, u *models.User) error {
	return s.db.WithContext(ctx).Raw("SELECT city_id FROM user_cities WHERE user_id = ? ORDER BY city_id", u.ID).Scan(&u.CityIDs).Error
}

// Coordinators lists every coordinator account, by name.
func (s *Store) Coordinators(ctx context.Context) ([]models.User, error) {
	var users []models.User
	err := s.db.WithContext(ctx).Where("role = ?", models.RoleCoordinator).Order("name").Find(&users).Error
	return users, err
}

// Authenticate checks an email and password from clientIP and records
// the attempt in the audit log (never the password, nor the text of an
// email that names no account). It refuses with ErrThrottled when the
// account has failed too often from this address, when the address has
// failed too often for any accounts, or when the account has failed too
// often from all addresses together; the last two limits spare an address
// the account has signed in from before, so that nobody can lock its owner
// out.
func (s *Store) Authenticate(ctx context.Context, email, password, clientIP string) (*models.User, error) {
	email = models.NormalizeEmail(email)
	var u models.User
	err := s.db.WithContext(ctx).Where("email = ?", email).First(&u).Error
	if err != nil && translate(err) != models.ErrNotFound {
		return nil, err
	}
	throttled, err := s.loginThrottled(ctx, email, u.ID, clientIP)
	if err != nil {
		return nil, err
	}
	if throttled {
		// One entry per account, address and window: a flood of refused
		// attempts does not flood the log.
		first, err := s.Allow(ctx, "audit-throttled", fmt.Sprintf("%d %s", u.ID, clientIP), 1, throttleWindow)
		if err != nil {
			return nil, err
		}
		if first {
			if err := s.auditLogin(models.AuditSignInThrottled, &u, clientIP); err != nil {
				return nil, err
			}
		}
		return nil, models.ErrThrottled
	}
	hash := u.PasswordHash
	if u.ID == 0 {
		// An unknown email costs as much as a wrong password.
		hash = s.dummyHash()
	}
	now := time.Now().UTC()
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || u.ID == 0 || u.Disabled {
		err := s.Tx(ctx, func(tx *Store) error {
			if err := tx.db.Exec("INSERT INTO login_failures (email, client_ip, created_at) VALUES (?, ?, ?)", email, clientIP, now).Error; err != nil {
				return err
			}
			return tx.auditLogin(models.AuditSignInFailed, &u, clientIP)
		})
		if err != nil {
			return nil, err
		}
		return nil, models.ErrBadCredentials
	}
	err = s.Tx(ctx, func(tx *Store) error {
		// Only this address's failures are forgiven: a success does not
		// reset the count of guesses made from elsewhere.
		if err := tx.db.Exec("DELETE FROM login_failures WHERE email = ? AND client_ip = ?", email, clientIP).Error; err != nil {
			return err
		}
		if err := tx.db.Exec(`INSERT INTO login_addresses (user_id, client_ip, last_success_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id, client_ip) DO UPDATE SET last_success_at = excluded.last_success_at`, u.ID, clientIP, now).Error; err != nil {
			return err
		}
		action := models.AuditSignIn
		if u.TOTPSecret != "" {
			action = models.AuditPasswordAccepted // the code is still to come
		}
		return tx.auditLogin(action, &u, clientIP)
	})
	if err != nil {
		return nil, err
	}
	return &u, s.loadUserCities(ctx, &u)
}

// auditLogin records a sign-in attempt on account u (ID 0: no such
// account) from clientIP.
func (s *Store) auditLogin(action models.AuditAction, u *models.User, clientIP string) error {
	actor := models.Actor{Email: models.ActorAnonymous}
	account := "?"
	if u.ID != 0 {
		account = u.Email
		if action == models.AuditSignIn || action == models.AuditPasswordAccepted || action == models.AuditCodeRefused {
			actor = u.Actor()
		}
	}
	return s.audit(actor, action, models.EntityUser, u.ID, nil, account+" ("+clientIP+")")
}

// loginThrottled reports whether a login to email (account userID, 0 for
// none) from clientIP must be refused; see Authenticate.
func (s *Store) loginThrottled(ctx context.Context, email string, userID uint, clientIP string) (bool, error) {
	since := time.Now().UTC().Add(-throttleWindow)
	db := s.db.WithContext(ctx)
	over := func(limit int64, where string, args ...any) (bool, error) {
		var n int64
		err := db.Table("login_failures").Where(where+" AND created_at > ?", append(args, since)...).Count(&n).Error
		return n >= limit, err
	}
	if hit, err := over(maxFailuresPerUser, "email = ? AND client_ip = ?", email, clientIP); hit || err != nil {
		return hit, err
	}
	if userID != 0 {
		var known int64
		if err := db.Table("login_addresses").Where("user_id = ? AND client_ip = ? AND last_success_at > ?",
			userID, clientIP, time.Now().UTC().Add(-knownAddressTTL)).Count(&known).Error; err != nil {
			return false, err
		}
		if known > 0 {
			return false, nil
		}
	}
	if hit, err := over(maxFailuresPerIP, "client_ip = ?", clientIP); hit || err != nil {
		return hit, err
	}
	return over(models.MaxFailuresPerAccount, "email = ?", email)
}

// PruneLoginFailures deletes failures older than the throttle window and
// addresses not signed in from for longer than they are remembered.
func (s *Store) PruneLoginFailures(ctx context.Context) error {
	now := time.Now().UTC()
	if err := s.db.WithContext(ctx).Exec("DELETE FROM login_failures WHERE created_at < ?", now.Add(-throttleWindow)).Error; err != nil {
		return err
	}
	return s.db.WithContext(ctx).Exec("DELETE FROM login_addresses WHERE last_success_at < ?", now.Add(-knownAddressTTL)).Error
}

// SetMailLanguage keeps the language u's mails are written in, with its
// audit entry; their interface language stays as it is.
func (s *Store) SetMailLanguage(ctx context.Context, u *models.User, lang string) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("UPDATE users SET mail_language = ?, updated_at = ? WHERE id = ?", lang, time.Now().UTC(), u.ID).Error; err != nil {
			return err
		}
		u.MailLanguage = lang
		return tx.audit(u.Actor(), models.AuditMailLanguage, models.EntityUser, u.ID, nil, u.Email+": "+lang)
	})
}

// SetUserLanguage keeps a user's choice of interface language; the
// language of their mails is another setting (SetMailLanguage).
func (s *Store) SetUserLanguage(ctx context.Context, id uint, lang string) error {
	return s.db.WithContext(ctx).Model(&models.User{}).Where("id = ?", id).Update("language", lang).Error
}
