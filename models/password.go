package models

import (
	"fmt"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// Limits of a new password.
const (
	// NewPasswordMinLength is the shortest new password accepted on the web.
	NewPasswordMinLength = 12
	// maxPasswordBytes is bcrypt's limit: it ignores what follows.
	maxPasswordBytes = 72
	// minPasswordScore is the least zxcvbn score (0 to 4) accepted: below
	// it, the password is on, or close to, a list of common and breached
	// passwords, names and words that attackers try first.
	minPasswordScore = 3
)

// CheckNewPassword refuses a new password that is too short, too long
// for bcrypt, or common: zxcvbn's lists of common and breached passwords,
// words and names, and their usual variations. userInputs (the account's
// name and email) count as common too.
func CheckNewPassword(password string, userInputs ...string) error {
	switch {
	case utf8.RuneCountInString(password) < NewPasswordMinLength:
		return FieldErrors{"password": {Code: "min", Param: fmt.Sprint(NewPasswordMinLength)}}
	case len(password) > maxPasswordBytes:
		return FieldErrors{"password": {Code: "max", Param: fmt.Sprint(maxPasswordBytes)}}
	case zxcvbn.PasswordStrength(password, userInputs).Score < minPasswordScore:
		return FieldErrors{"password": {Code: "common_password"}}
	}
	return nil
}
