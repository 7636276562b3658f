package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Login errors.
var (
	// ErrBadCredentials means the email or password is wrong, or the
	// account is disabled; callers must not say which.
	ErrBadCredentials = errors.New("wrong email or password")
	// ErrThrottled means too many recent failed logins for the account or
	// the client address.
	ErrThrottled = errors.New("too many failed logins")
)

// Login throttling limits: failures counted over the window.
const (
	throttleWindow     = 15 * time.Minute
	maxFailuresPerUser = 5
	maxFailuresPerIP   = 20
	// MaxFailuresPerAccount is how many failures from all addresses
	// together throttle an account everywhere but at its known addresses.
	MaxFailuresPerAccount = 25
	// knownAddressTTL is how long an address an account signed in from is
	// spared the per-address and per-account limits.
	knownAddressTTL = 90 * 24 * time.Hour
	// MinPasswordLength is the shortest password accepted.
	MinPasswordLength = 10
)

// User is a person who signs in: UNESCO staff or a city coordinator.
type User struct {
	ID           uint   `gorm:"primaryKey"`
	Email        string `field:"email" validate:"required,email,max=254"`
	Name         string `field:"name" validate:"required,max=120"`
	PasswordHash string
	Role         Role `field:"role" validate:"required"`
	Disabled     bool
	// Language is the interface language the user chose ("" for none).
	Language string
	// SessionEpoch is kept in each session at sign-in; moving it ends
	// every session of the user at once.
	SessionEpoch int64
	// TOTPSecret is the base32 secret of the user's authenticator app;
	// empty when two-factor sign-in is off.
	TOTPSecret   string `gorm:"column:totp_secret"`
	TOTPLastStep int64  `gorm:"column:totp_last_step"`
	// NotifyOff lists, comma-separated, the notifications the user turned
	// off (see Wants).
	NotifyOff string
	CreatedAt time.Time
	UpdatedAt time.Time
	// CityIDs are the cities a coordinator is tied to (empty for staff).
	CityIDs []uint `gorm:"-"`
}

// IsStaff reports whether u is UNESCO staff.
func (u *User) IsStaff() bool { return u != nil && u.Role == RoleStaff }

// ManagedCities are the cities u manages: every city for staff, a
// coordinator's own cities, none for anyone else.
func (s *Store) ManagedCities(ctx context.Context, u *User) ([]City, error) {
	switch {
	case u.IsStaff():
		return s.Cities(ctx, CityFilter{})
	case u == nil:
		return nil, nil
	}
	return s.CitiesByID(ctx, u.CityIDs)
}

// CanManageCity reports whether u may read and change the private data of
// the city: staff for every city, coordinators for their own. This is the
// one place the rule lives.
func (u *User) CanManageCity(cityID uint) bool {
	if u == nil || u.Disabled {
		return false
	}
	return u.Role == RoleStaff || slices.Contains(u.CityIDs, cityID)
}

// Actor is u as the author of a change.
func (u *User) Actor() Actor { return Actor{UserID: u.ID, Email: u.Email} }

// NormalizeEmail lower-cases and trims an email address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NewUser describes a user to create.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     Role
	CityIDs  []uint
}

// CreateUser stores a new user with a bcrypt hash of the password.
func (s *Store) CreateUser(ctx context.Context, actor Actor, nu NewUser) (*User, error) {
	u := &User{Email: NormalizeEmail(nu.Email), Name: strings.TrimSpace(nu.Name), Role: nu.Role}
	fe := s.check(u)
	if _, bad := fe["email"]; !bad {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			fe.Add("email", "email", "")
		}
	}
	if _, bad := fe["role"]; !bad && !u.Role.Valid() {
		fe.Add("role", "oneof", "")
	}
	if len([]rune(nu.Password)) < MinPasswordLength {
		fe.Add("password", "min", fmt.Sprint(MinPasswordLength))
	}
	if len(nu.Password) > 72 {
		fe.Add("password", "max", "72")
	}
	if u.Role == RoleStaff && len(nu.CityIDs) > 0 {
		fe.Add("cities", "staff_cities", "")
	}
	if err := fe.orNil(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u.PasswordHash = string(hash)
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(u).Error; err != nil {
			if translate(err) == ErrDuplicate {
				return FieldErrors{"email": {Code: "taken"}}
			}
			return err
		}
		for _, cid := range uniq(nu.CityIDs) {
			if err := tx.db.Exec("INSERT INTO user_cities (user_id, city_id) VALUES (?, ?)", u.ID, cid).Error; err != nil {
				return fmt.Errorf("tie user to city %d: %w", cid, err)
			}
		}
		return tx.audit(actor, AuditCreate, EntityUser, u.ID, nil, u.Email)
	})
	if err != nil {
		return nil, err
	}
	u.CityIDs = uniq(nu.CityIDs)
	return u, nil
}

// User returns the user with id and their cities.
func (s *Store) User(ctx context.Context, id uint) (*User, error) {
	var u User
	if err := s.db.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, translate(err)
	}
	return &u, s.loadUserCities(ctx, &u)
}

func (s *Store) loadUserCities(ctx context.Context, u *User) error {
	return s.db.WithContext(ctx).Raw("SELECT city_id FROM user_cities WHERE user_id = ? ORDER BY city_id", u.ID).Scan(&u.CityIDs).Error
}

// Coordinators lists every coordinator account, by name.
func (s *Store) Coordinators(ctx context.Context) ([]User, error) {
	var users []User
	err := s.db.WithContext(ctx).Where("role = ?", RoleCoordinator).Order("name").Find(&users).Error
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
func (s *Store) Authenticate(ctx context.Context, email, password, clientIP string) (*User, error) {
	email = NormalizeEmail(email)
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", email).First(&u).Error
	if err != nil && translate(err) != ErrNotFound {
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
			if err := s.auditLogin(AuditSignInThrottled, &u, clientIP); err != nil {
				return nil, err
			}
		}
		return nil, ErrThrottled
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
			return tx.auditLogin(AuditSignInFailed, &u, clientIP)
		})
		if err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
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
		return tx.auditLogin(AuditSignIn, &u, clientIP)
	})
	if err != nil {
		return nil, err
	}
	return &u, s.loadUserCities(ctx, &u)
}

// auditLogin records a sign-in attempt on account u (ID 0: no such
// account) from clientIP.
func (s *Store) auditLogin(action AuditAction, u *User, clientIP string) error {
	actor := Actor{Email: ActorAnonymous}
	account := "?"
	if u.ID != 0 {
		account = u.Email
		if action == AuditSignIn {
			actor = u.Actor()
		}
	}
	return s.audit(actor, action, EntityUser, u.ID, nil, account+" ("+clientIP+")")
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
	return over(MaxFailuresPerAccount, "email = ?", email)
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

// SetUserLanguage keeps a user's choice of interface language.
func (s *Store) SetUserLanguage(ctx context.Context, id uint, lang string) error {
	return s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).Update("language", lang).Error
}
