package models

import (
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"
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

// Limits of accounts and passwords.
const (
	// MaxFailuresPerAccount is how many failures from all addresses
	// together throttle an account everywhere but at its known addresses.
	MaxFailuresPerAccount = 25
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
	// MailLanguage is the language of the user's mails ("" for English),
	// a setting of its own: choosing the pages' language leaves it alone.
	MailLanguage string
	// SessionEpoch is kept in each session at sign-in; moving it ends
	// every session of the user at once.
	SessionEpoch int64
	// TOTPSecret is the base32 secret of the user's authenticator app,
	// sealed by the store with the server's secret key ("v1:…"); empty
	// when two-factor sign-in is off.
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

// Problems checks a new account's name, email and role; the store adds
// what it knows (a taken email). The map is empty when all is well.
func (u *User) Problems() FieldErrors {
	fe := check(u)
	if _, bad := fe["email"]; !bad {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			fe.Add("email", "email", "")
		}
	}
	if _, bad := fe["role"]; !bad && !u.Role.Valid() {
		fe.Add("role", "oneof", "")
	}
	return fe
}

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

// ErrBadCode means a two-factor or recovery code is wrong or was used.
var ErrBadCode = errors.New("wrong or used code")

// ThrottledError is ErrThrottled (errors.Is) with how long the refusal
// still lasts.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string { return ErrThrottled.Error() }

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// RetryMinutes is RetryAfter in whole minutes, rounded up.
func (e *ThrottledError) RetryMinutes() int {
	return int((e.RetryAfter + time.Minute - 1) / time.Minute)
}

// TwoFactorOn reports whether u signs in with a code from an app.
func (u *User) TwoFactorOn() bool { return u != nil && u.TOTPSecret != "" }
