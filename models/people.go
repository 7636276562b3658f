package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
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

func (p TokenPurpose) ttl() time.Duration {
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

// Users lists the accounts that match f, by name, with their cities.
// The network has a few hundred accounts: the list is not paged.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]User, error) {
	q := s.db.WithContext(ctx).Model(&User{})
	if f.Query != "" {
		like := "%" + likeEscape(strings.ToLower(strings.TrimSpace(f.Query))) + "%"
		q = q.Where("(LOWER(name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.CityID != 0 {
		q = q.Where("id IN (SELECT user_id FROM user_cities WHERE city_id = ?)", f.CityID)
	}
	switch f.Status {
	case UserDisabled:
		q = q.Where("disabled")
	case UserInvited:
		q = q.Where("NOT disabled AND password_hash = ''")
	case UserActive:
		q = q.Where("NOT disabled AND password_hash <> ''")
	}
	var users []User
	if err := q.Order("LOWER(name), id").Find(&users).Error; err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return users, nil
	}
	ids := make([]uint, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	var ties []struct{ UserID, CityID uint }
	if err := s.db.WithContext(ctx).Raw("SELECT user_id, city_id FROM user_cities WHERE user_id IN ? ORDER BY city_id", ids).Scan(&ties).Error; err != nil {
		return nil, err
	}
	byID := make(map[uint]*User, len(users))
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	for _, t := range ties {
		byID[t.UserID].CityIDs = append(byID[t.UserID].CityIDs, t.CityID)
	}
	return users, nil
}

// Invitation describes a person to invite.
type Invitation struct {
	Email    string
	Name     string
	Role     Role
	CityIDs  []uint
	Language string
}

// InviteUser creates an account without a password and writes the
// invitation mail (compose) to the outbox, with a single-use link valid
// for InvitationTTL, in one transaction with its audit entry.
func (s *Store) InviteUser(ctx context.Context, actor Actor, inv Invitation, compose ComposeMail) (*User, error) {
	u := &User{Email: NormalizeEmail(inv.Email), Name: strings.TrimSpace(inv.Name), Role: inv.Role, Language: inv.Language}
	fe := s.check(u)
	if _, bad := fe["email"]; !bad {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			fe.Add("email", "email", "")
		}
	}
	if _, bad := fe["role"]; !bad && !u.Role.Valid() {
		fe.Add("role", "oneof", "")
	}
	switch {
	case u.Role == RoleStaff && len(inv.CityIDs) > 0:
		fe.Add("cities", "staff_cities", "")
	case u.Role == RoleCoordinator && len(inv.CityIDs) == 0:
		fe.Add("cities", "choose_min", "1")
	}
	if err := fe.orNil(); err != nil {
		return nil, err
	}
	u.CityIDs = uniq(inv.CityIDs)
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.checkCities(u.CityIDs); err != nil {
			return err
		}
		if err := tx.db.Create(u).Error; err != nil {
			if translate(err) == ErrDuplicate {
				return FieldErrors{"email": {Code: "taken"}}
			}
			return err
		}
		if err := tx.tieCities(u.ID, u.CityIDs); err != nil {
			return err
		}
		if err := tx.audit(actor, AuditInvite, EntityUser, u.ID, nil, u.Email); err != nil {
			return err
		}
		return tx.issueToken(u, TokenInvitation, compose)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkCities refuses city ids that name no city.
func (s *Store) checkCities(ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	var n int64
	if err := s.db.Model(&City{}).Where("id IN ?", ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(ids) {
		return FieldErrors{"cities": {Code: "oneof"}}
	}
	return nil
}

// tieCities replaces a user's cities.
func (s *Store) tieCities(userID uint, ids []uint) error {
	if err := s.db.Exec("DELETE FROM user_cities WHERE user_id = ?", userID).Error; err != nil {
		return err
	}
	for _, cid := range ids {
		if err := s.db.Exec("INSERT INTO user_cities (user_id, city_id) VALUES (?, ?)", userID, cid).Error; err != nil {
			return fmt.Errorf("tie user to city %d: %w", cid, err)
		}
	}
	return nil
}

// issueToken replaces u's unused links of this purpose with a new one and
// writes its mail to the outbox.
func (s *Store) issueToken(u *User, purpose TokenPurpose, compose ComposeMail) error {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := time.Now().UTC()
	if err := s.db.Exec("DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL", u.ID, purpose).Error; err != nil {
		return err
	}
	if err := s.db.Exec("INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
		u.ID, purpose, hashToken(token), now.Add(purpose.ttl()), now).Error; err != nil {
		return err
	}
	m, err := compose(u, token)
	if err != nil {
		return fmt.Errorf("compose %s mail: %w", purpose, err)
	}
	return s.enqueue(m)
}

// hashToken is what the database keeps of a link's secret: a leaked
// database does not hand out working links.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// userToken is a stored single-use link.
type userToken struct {
	ID        uint
	UserID    uint
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// tokenUser finds the live link token of purpose and its user: ErrNotFound
// when there is none, ErrTokenUsed or ErrTokenExpired when it is spent.
func (s *Store) tokenUser(ctx context.Context, purpose TokenPurpose, token string) (*userToken, *User, error) {
	var rows []userToken
	err := s.db.WithContext(ctx).Raw("SELECT id, user_id, expires_at, used_at FROM user_tokens WHERE token_hash = ? AND purpose = ?",
		hashToken(token), purpose).Scan(&rows).Error
	switch {
	case err != nil:
		return nil, nil, err
	case len(rows) == 0:
		return nil, nil, ErrNotFound
	case rows[0].UsedAt != nil:
		return nil, nil, ErrTokenUsed
	case !time.Now().UTC().Before(rows[0].ExpiresAt):
		return nil, nil, ErrTokenExpired
	}
	u, err := s.User(ctx, rows[0].UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, ErrTokenUsed
	}
	return &rows[0], u, nil
}

// TokenUser returns the user a live single-use link of purpose belongs to;
// see tokenUser for the errors.
func (s *Store) TokenUser(ctx context.Context, purpose TokenPurpose, token string) (*User, error) {
	_, u, err := s.tokenUser(ctx, purpose, token)
	return u, err
}

// UseToken spends a single-use link: the user's password becomes
// password, the link and any other of the user's unused links of the same
// purpose stop working, and every session of the user ends. Only one of
// two concurrent uses succeeds.
func (s *Store) UseToken(ctx context.Context, purpose TokenPurpose, token, password string) (*User, error) {
	// The password is checked and hashed before the transaction, which
	// checks the link again: bcrypt must not hold the write lock.
	_, owner, err := s.tokenUser(ctx, purpose, token)
	if err != nil {
		return nil, err
	}
	if err := CheckNewPassword(password, owner.Name, owner.Email); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	var user *User
	err = s.Tx(ctx, func(tx *Store) error {
		t, u, err := tx.tokenUser(ctx, purpose, token)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		res := tx.db.Exec("UPDATE user_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL", now, t.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrTokenUsed
		}
		if err := tx.db.Exec("DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL", u.ID, purpose).Error; err != nil {
			return err
		}
		if err := tx.setPassword(u, string(hash)); err != nil {
			return err
		}
		action := AuditPasswordReset
		if purpose == TokenInvitation {
			action = AuditAcceptInvitation
		}
		user = u
		return tx.audit(u.Actor(), action, EntityUser, u.ID, nil, u.Email)
	})
	return user, err
}

// setPassword stores a new hash and ends every session of u.
func (s *Store) setPassword(u *User, hash string) error {
	u.PasswordHash = hash
	u.SessionEpoch++
	return s.db.Exec("UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
		hash, time.Now().UTC(), u.ID).Error
}

// ResendInvitation writes a new invitation to a user who has not accepted
// one yet; the earlier link stops working.
func (s *Store) ResendInvitation(ctx context.Context, actor Actor, id uint, compose ComposeMail) error {
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Status() != UserInvited {
			return ErrNotInvited
		}
		if err := tx.audit(actor, AuditResendInvitation, EntityUser, u.ID, nil, u.Email); err != nil {
			return err
		}
		return tx.issueToken(u, TokenInvitation, compose)
	})
}

// ErrNotInvited means the account is not waiting for its invitation to be
// accepted.
var ErrNotInvited = fmt.Errorf("this account is not an open invitation: %w", ErrTransition)

// RevokeInvitation deletes an account that was invited and never set a
// password; its link stops working.
func (s *Store) RevokeInvitation(ctx context.Context, actor Actor, id uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Status() != UserInvited {
			return ErrNotInvited
		}
		if err := tx.db.Exec("DELETE FROM users WHERE id = ?", u.ID).Error; err != nil {
			return err
		}
		return tx.audit(actor, AuditRevokeInvitation, EntityUser, u.ID, nil, u.Email)
	})
}

// SetUserCities changes the cities of a coordinator.
func (s *Store) SetUserCities(ctx context.Context, actor Actor, id uint, cityIDs []uint) error {
	cityIDs = uniq(cityIDs)
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Role != RoleCoordinator {
			return FieldErrors{"cities": {Code: "staff_cities"}}
		}
		if len(cityIDs) == 0 {
			return FieldErrors{"cities": {Code: "choose_min", Param: "1"}}
		}
		if err := tx.checkCities(cityIDs); err != nil {
			return err
		}
		if err := tx.tieCities(u.ID, cityIDs); err != nil {
			return err
		}
		return tx.audit(actor, AuditUpdate, EntityUser, u.ID, nil, fmt.Sprintf("%s: cities %v → %v", u.Email, u.CityIDs, cityIDs))
	})
}

// ErrSelf means a user tried to disable their own account.
var ErrSelf = fmt.Errorf("you cannot do this to your own account: %w", ErrTransition)

// SetUserDisabled disables an account, which ends all its sessions at
// once, or enables it again.
func (s *Store) SetUserDisabled(ctx context.Context, actor Actor, id uint, disabled bool) error {
	if id == actor.UserID {
		return ErrSelf
	}
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if err := tx.db.Exec("UPDATE users SET disabled = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
			disabled, time.Now().UTC(), u.ID).Error; err != nil {
			return err
		}
		action := AuditEnable
		if disabled {
			action = AuditDisable
		}
		return tx.audit(actor, action, EntityUser, u.ID, nil, u.Email)
	})
}

// Password-reset request limits: per client address and per account
// email, over resetWindow.
const (
	resetWindow      = time.Hour
	maxResetsPerIP   = 10
	maxResetsPerMail = 3
)

// RequestPasswordReset writes a reset mail (compose) with a single-use link
// valid for ResetTTL when email names an active account; otherwise it
// writes nothing. Either way it answers the same, so that nobody learns
// which addresses have accounts; ErrThrottled when the client address or
// the email asked too often (counted whether or not the account exists).
func (s *Store) RequestPasswordReset(ctx context.Context, email, clientIP string, compose ComposeMail) error {
	email = NormalizeEmail(email)
	for _, limit := range []struct {
		bucket, client string
		n              int
	}{{"reset-ip", clientIP, maxResetsPerIP}, {"reset-email", email, maxResetsPerMail}} {
		ok, err := s.Allow(ctx, limit.bucket, limit.client, limit.n, resetWindow)
		if err != nil {
			return err
		}
		if !ok {
			return ErrThrottled
		}
	}
	return s.Tx(ctx, func(tx *Store) error {
		var u User
		err := tx.db.Where("email = ?", email).First(&u).Error
		if translate(err) == ErrNotFound || (err == nil && u.Status() != UserActive) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.issueToken(&u, TokenReset, compose)
	})
}

// ChangePassword replaces u's password when current is right, and ends
// every other session of u: it returns u's new session epoch, for the
// session that made the change to keep.
func (s *Store) ChangePassword(ctx context.Context, u *User, current, password string) (int64, error) {
	var stored User
	if err := s.db.WithContext(ctx).First(&stored, u.ID).Error; err != nil {
		return 0, translate(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(stored.PasswordHash), []byte(current)) != nil {
		return 0, FieldErrors{"current": {Code: "wrong_password"}}
	}
	if err := CheckNewPassword(password, stored.Name, stored.Email); err != nil {
		return 0, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return 0, fmt.Errorf("hash password: %w", err)
	}
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.First(&stored, u.ID).Error; err != nil {
			return translate(err)
		}
		if err := tx.setPassword(&stored, string(hash)); err != nil {
			return err
		}
		return tx.audit(stored.Actor(), AuditPasswordChange, EntityUser, stored.ID, nil, stored.Email)
	})
	return stored.SessionEpoch, err
}

// SignOutEverywhere ends every session of u at once.
func (s *Store) SignOutEverywhere(ctx context.Context, u *User) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?", u.ID).Error; err != nil {
			return err
		}
		return tx.audit(u.Actor(), AuditSignOutEverywhere, EntityUser, u.ID, nil, u.Email)
	})
}

// InvitationExpiry is when the open invitation of user id stops working,
// or nil when there is none.
func (s *Store) InvitationExpiry(ctx context.Context, id uint) (*time.Time, error) {
	var rows []struct{ ExpiresAt time.Time }
	err := s.db.WithContext(ctx).Raw("SELECT expires_at FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL ORDER BY expires_at DESC LIMIT 1",
		id, TokenInvitation).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0].ExpiresAt, nil
}
