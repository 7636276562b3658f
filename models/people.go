package models

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// UserStatus is where an account is: invited (no password yet), active,
// or disabled.
type UserStatus string

// The statuses of an account.
const (
	UserInvited  UserStatus = "invited"
	UserActive   UserStatus = "active"
	UserDisabled UserStatus = "disabled"
)

// UserStatuses lists the statuses of an account.
func UserStatuses() []UserStatus { return []UserStatus{UserInvited, UserActive, UserDisabled} }

// Valid reports whether st is one of UserStatuses.
func (st UserStatus) Valid() bool { return slices.Contains(UserStatuses(), st) }

// Status is where u's account is. An invited user has no password and so
// cannot sign in until they set one on their invitation link.
func (u *User) Status() UserStatus {
	switch {
	case u.Disabled:
		return UserDisabled
	case u.PasswordHash == "":
		return UserInvited
	}
	return UserActive
}

// TokenPurpose is what a single-use link is for.
type TokenPurpose string

// The purposes of single-use links, and how long each is valid.
const (
	TokenInvitation TokenPurpose = "invitation"
	TokenReset      TokenPurpose = "reset"
	InvitationTTL                = 7 * 24 * time.Hour
	ResetTTL                     = time.Hour
)

func (p TokenPurpose) TTL() time.Duration {
	if p == TokenInvitation {
		return InvitationTTL
	}
	return ResetTTL
}

// Errors of single-use links. A link that never existed is ErrNotFound.
var (
	ErrTokenExpired = errors.New("this link has expired")
	ErrTokenUsed    = errors.New("this link has been used")
)

// ComposeMail writes the mail for user u that carries the single-use link
// secret token. The store calls it inside the transaction of the change.
type ComposeMail func(u *User, token string) (Mail, error)

// UserFilter narrows the list of users. Zero values match everything.
type UserFilter struct {
	// Query matches a part of the name or the email.
	Query  string
	Role   Role
	CityID uint
	Status UserStatus
}

// Invitation describes a person to invite.
type Invitation struct {
	Email    string
	Name     string
	Role     Role
	CityIDs  []uint
	Language string
}

// ErrNotInvited means the account is not waiting for its invitation to be
// accepted.
var ErrNotInvited = fmt.Errorf("this account is not an open invitation: %w", ErrTransition)

// ErrSelf means a user tried to disable their own account.
var ErrSelf = fmt.Errorf("you cannot do this to your own account: %w", ErrTransition)
