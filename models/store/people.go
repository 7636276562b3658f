package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"golang.org/x/crypto/bcrypt"
)

// Users lists the accounts that match f, by name, with their cities.
// The network has a few hundred accounts: the list is not paged.
func (s *Store) Users(ctx context.Context, f models.UserFilter) ([]models.User, error) {
	q := s.db.WithContext(ctx).Model(&models.User{})
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
	case models.UserDisabled:
		q = q.Where("disabled")
	case models.UserInvited:
		q = q.Where("NOT disabled AND password_hash = ''")
	case models.UserActive:
		q = q.Where("NOT disabled AND password_hash <> ''")
	}
	var users []models.User
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
	byID := make(map[uint]*models.User, len(users))
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	for _, t := range ties {
		byID[t.UserID].CityIDs = append(byID[t.UserID].CityIDs, t.CityID)
	}
	return users, nil
}

// InviteUser creates an account without a password and writes the
// invitation mail (compose) to the outbox, with a single-use link valid
// for InvitationTTL, in one transaction with its audit entry.
func (s *Store) InviteUser(ctx context.Context, actor models.Actor, inv models.Invitation, compose models.ComposeMail) (*models.User, error) {
	u := &models.User{Email: models.NormalizeEmail(inv.Email), Name: strings.TrimSpace(inv.Name), Role: inv.Role, Language: inv.Language, MailLanguage: inv.Language}
	fe := u.Problems()
	switch {
	case u.Role == models.RoleStaff && len(inv.CityIDs) > 0:
		fe.Add("cities", "staff_cities", "")
	case u.Role == models.RoleCoordinator && len(inv.CityIDs) == 0:
		fe.Add("cities", "choose_min", "1")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	u.CityIDs = models.Unique(inv.CityIDs)
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.checkCities(u.CityIDs); err != nil {
			return err
		}
		if err := tx.db.Create(u).Error; err != nil {
			if translate(err) == models.ErrDuplicate {
				return models.FieldErrors{"email": {Code: "taken"}}
			}
			return err
		}
		if err := tx.tieCities(u.ID, u.CityIDs); err != nil {
			return err
		}
		if err := tx.audit(actor, models.AuditInvite, models.EntityUser, u.ID, nil, u.Email); err != nil {
			return err
		}
		return tx.issueToken(u, models.TokenInvitation, compose)
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
	if err := s.db.Model(&models.City{}).Where("id IN ?", ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(ids) {
		return models.FieldErrors{"cities": {Code: "oneof"}}
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
func (s *Store) issueToken(u *models.User, purpose models.TokenPurpose, compose models.ComposeMail) error {
	token, err := s.newToken(u, purpose)
	if err != nil {
		return err
	}
	m, err := compose(u, token)
	if err != nil {
		return fmt.Errorf("compose %s mail: %w", purpose, err)
	}
	return s.enqueue(m)
}

// newToken replaces u's unused links of this purpose with a new one and
// returns its secret, which only its hash keeps.
func (s *Store) newToken(u *models.User, purpose models.TokenPurpose) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := time.Now().UTC()
	if err := s.db.Exec("DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL", u.ID, purpose).Error; err != nil {
		return "", err
	}
	if err := s.db.Exec("INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
		u.ID, purpose, hashToken(token), now.Add(purpose.TTL()), now).Error; err != nil {
		return "", err
	}
	return token, nil
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
func (s *Store) tokenUser(ctx context.Context, purpose models.TokenPurpose, token string) (*userToken, *models.User, error) {
	var rows []userToken
	err := s.db.WithContext(ctx).Raw("SELECT id, user_id, expires_at, used_at FROM user_tokens WHERE token_hash = ? AND purpose = ?",
		hashToken(token), purpose).Scan(&rows).Error
	switch {
	case err != nil:
		return nil, nil, err
	case len(rows) == 0:
		return nil, nil, models.ErrNotFound
	case rows[0].UsedAt != nil:
		return nil, nil, models.ErrTokenUsed
	case !time.Now().UTC().Before(rows[0].ExpiresAt):
		return nil, nil, models.ErrTokenExpired
	}
	u, err := s.User(ctx, rows[0].UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, models.ErrTokenUsed
	}
	return &rows[0], u, nil
}

// TokenUser returns the user a live single-use link of purpose belongs to;
// see tokenUser for the errors.
func (s *Store) TokenUser(ctx context.Context, purpose models.TokenPurpose, token string) (*models.User, error) {
	_, u, err := s.tokenUser(ctx, purpose, token)
	return u, err
}

// UseToken spends a single-use link: the user's password becomes
// password, the link and any other of the user's unused links of the same
// purpose stop working, and every session of the user ends. Only one of
// two concurrent uses succeeds.
func (s *Store) UseToken(ctx context.Context, purpose models.TokenPurpose, token, password string) (*models.User, error) {
	// The password is checked and hashed before the transaction, which
	// checks the link again: bcrypt must not hold the write lock.
	_, owner, err := s.tokenUser(ctx, purpose, token)
	if err != nil {
		return nil, err
	}
	if err := models.CheckNewPassword(password, owner.Name, owner.Email); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	var user *models.User
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
			return models.ErrTokenUsed
		}
		if err := tx.db.Exec("DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL", u.ID, purpose).Error; err != nil {
			return err
		}
		if err := tx.setPassword(u, string(hash)); err != nil {
			return err
		}
		action := models.AuditPasswordReset
		if purpose == models.TokenInvitation {
			action = models.AuditAcceptInvitation
		}
		user = u
		return tx.audit(u.Actor(), action, models.EntityUser, u.ID, nil, u.Email)
	})
	return user, err
}

// setPassword stores a new hash and ends every session of u.
func (s *Store) setPassword(u *models.User, hash string) error {
	u.PasswordHash = hash
	u.SessionEpoch++
	return s.db.Exec("UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
		hash, time.Now().UTC(), u.ID).Error
}

// ResendInvitation writes a new invitation to a user who has not accepted
// one yet; the earlier link stops working.
func (s *Store) ResendInvitation(ctx context.Context, actor models.Actor, id uint, compose models.ComposeMail) error {
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Status() != models.UserInvited {
			return models.ErrNotInvited
		}
		if err := tx.audit(actor, models.AuditResendInvitation, models.EntityUser, u.ID, nil, u.Email); err != nil {
			return err
		}
		return tx.issueToken(u, models.TokenInvitation, compose)
	})
}

// NewInvitationLink gives staff (actor) a new invitation link for a user
// who has not accepted one, to pass on another way than by mail: the
// database keeps only links' hashes, so an earlier link cannot be shown
// again; it stops working. The secret is returned once, and written
// nowhere but in the audited answer.
func (s *Store) NewInvitationLink(ctx context.Context, actor models.Actor, id uint) (string, error) {
	var token string
	err := s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Status() != models.UserInvited {
			return models.ErrNotInvited
		}
		if err := tx.audit(actor, models.AuditInvitationLink, models.EntityUser, u.ID, nil, u.Email); err != nil {
			return err
		}
		token, err = tx.newToken(u, models.TokenInvitation)
		return err
	})
	return token, err
}

// RevokeInvitation deletes an account that was invited and never set a
// password; its link stops working.
func (s *Store) RevokeInvitation(ctx context.Context, actor models.Actor, id uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Status() != models.UserInvited {
			return models.ErrNotInvited
		}
		if err := tx.db.Exec("DELETE FROM users WHERE id = ?", u.ID).Error; err != nil {
			return err
		}
		return tx.audit(actor, models.AuditRevokeInvitation, models.EntityUser, u.ID, nil, u.Email)
	})
}

// SetUserCities changes the cities of a coordinator.
func (s *Store) SetUserCities(ctx context.Context, actor models.Actor, id uint, cityIDs []uint) error {
	cityIDs = models.Unique(cityIDs)
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Role != models.RoleCoordinator {
			return models.FieldErrors{"cities": {Code: "staff_cities"}}
		}
		if len(cityIDs) == 0 {
			return models.FieldErrors{"cities": {Code: "choose_min", Param: "1"}}
		}
		if err := tx.checkCities(cityIDs); err != nil {
			return err
		}
		if err := tx.tieCities(u.ID, cityIDs); err != nil {
			return err
		}
		return tx.audit(actor, models.AuditUpdate, models.EntityUser, u.ID, nil, fmt.Sprintf("%s: cities %v → %v", u.Email, u.CityIDs, cityIDs))
	})
}

// SetUserDisabled disables an account, which ends all its sessions at
// once, or enables it again.
func (s *Store) SetUserDisabled(ctx context.Context, actor models.Actor, id uint, disabled bool) error {
	if id == actor.UserID {
		return models.ErrSelf
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
		action := models.AuditEnable
		if disabled {
			action = models.AuditDisable
		}
		return tx.audit(actor, action, models.EntityUser, u.ID, nil, u.Email)
	})
}

// Password-reset request limits over resetWindow: per client address,
// and per client address and account email together, so that requests
// from elsewhere never use up the owner's.
const (
	resetWindow      = time.Hour
	maxResetsPerIP   = 10
	maxResetsPerMail = 3
)

// RequestPasswordReset is AllowPasswordReset, then SendPasswordReset.
func (s *Store) RequestPasswordReset(ctx context.Context, email, clientIP string, compose models.ComposeMail) error {
	if err := s.AllowPasswordReset(ctx, email, clientIP); err != nil {
		return err
	}
	return s.SendPasswordReset(ctx, email, compose)
}

// AllowPasswordReset counts a request for a reset link for email from
// clientIP, whether or not email names an account: ErrThrottled when the
// address asked too often, for any accounts or for this one. Requests for
// an account from other addresses do not count against its owner's.
func (s *Store) AllowPasswordReset(ctx context.Context, email, clientIP string) error {
	email = models.NormalizeEmail(email)
	for _, limit := range []struct {
		bucket, client string
		n              int
	}{{"reset-ip", clientIP, maxResetsPerIP}, {"reset-ip-email", clientIP + " " + email, maxResetsPerMail}} {
		ok, err := s.Allow(ctx, limit.bucket, limit.client, limit.n, resetWindow)
		if err != nil {
			return err
		}
		if !ok {
			return models.ErrThrottled
		}
	}
	return nil
}

// SendPasswordReset writes a reset mail (compose) with a single-use link
// valid for ResetTTL when email names an active account; otherwise it
// writes nothing. The handler calls it after answering, so that the
// answer takes as long whether or not the account exists.
func (s *Store) SendPasswordReset(ctx context.Context, email string, compose models.ComposeMail) error {
	email = models.NormalizeEmail(email)
	return s.Tx(ctx, func(tx *Store) error {
		var u models.User
		err := tx.db.Where("email = ?", email).First(&u).Error
		if translate(err) == models.ErrNotFound || (err == nil && u.Status() != models.UserActive) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.issueToken(&u, models.TokenReset, compose)
	})
}

// ChangePassword replaces u's password when current is right, and ends
// every other session of u: it returns u's new session epoch, for the
// session that made the change to keep.
func (s *Store) ChangePassword(ctx context.Context, u *models.User, current, password string) (int64, error) {
	var stored models.User
	if err := s.db.WithContext(ctx).First(&stored, u.ID).Error; err != nil {
		return 0, translate(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(stored.PasswordHash), []byte(current)) != nil {
		return 0, models.FieldErrors{"current": {Code: "wrong_password"}}
	}
	if err := models.CheckNewPassword(password, stored.Name, stored.Email); err != nil {
		return 0, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
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
		return tx.audit(stored.Actor(), models.AuditPasswordChange, models.EntityUser, stored.ID, nil, stored.Email)
	})
	return stored.SessionEpoch, err
}

// SignOutEverywhere ends every session of u at once.
func (s *Store) SignOutEverywhere(ctx context.Context, u *models.User) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?", u.ID).Error; err != nil {
			return err
		}
		return tx.audit(u.Actor(), models.AuditSignOutEverywhere, models.EntityUser, u.ID, nil, u.Email)
	})
}

// InvitationExpiry is when the open invitation of user id stops working,
// or nil when there is none.
func (s *Store) InvitationExpiry(ctx context.Context, id uint) (*time.Time, error) {
	var rows []struct{ ExpiresAt time.Time }
	err := s.db.WithContext(ctx).Raw("SELECT expires_at FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL ORDER BY expires_at DESC LIMIT 1",
		id, models.TokenInvitation).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0].ExpiresAt, nil
}
