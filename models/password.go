package models

import (
	"fmt"
	"strings"
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

// productWords are the words an attacker tries first against this site:
// the campaign's and the network's names, and the demo logins' password
// (models/demo.Password, which this package cannot import; a test there
// checks that it is refused). They count as common, like the account's
// own name.
var productWords = []string{
	"learnthroughlife", "learn through life", "lifelong learning",
	"unesco", "uil", "learning city", "learningcity", "learning cities",
	"learningcities", "gnlc", "global network", "tracker",
}

// CheckNewPassword refuses a new password that is too short, too long
// for bcrypt, or common: zxcvbn's lists of common and breached passwords,
// words and names, and their usual variations. userInputs (the account's
// name and email) and productWords count as common too. The password is
// also scored with its separators (space, - _ .) taken out, so that
// "learn-through-life!" is seen as the campaign's name.
func CheckNewPassword(password string, userInputs ...string) error {
	switch {
	case utf8.RuneCountInString(password) < NewPasswordMinLength:
		return FieldErrors{"password": {Code: "min", Param: fmt.Sprint(NewPasswordMinLength)}}
	case len(password) > maxPasswordBytes:
		return FieldErrors{"password": {Code: "max", Param: fmt.Sprint(maxPasswordBytes)}}
	case passwordScore(password, userInputs) < minPasswordScore:
		return FieldErrors{"password": {Code: "common_password"}}
	}
	return nil
}

// passwordScore is the lower zxcvbn score of password as typed and of
// password without separators.
func passwordScore(password string, userInputs []string) int {
	inputs := append(append([]string{}, userInputs...), productWords...)
	score := zxcvbn.PasswordStrength(password, inputs).Score
	if joined := strings.Map(dropSeparator, password); joined != password {
		score = min(score, zxcvbn.PasswordStrength(joined, inputs).Score)
	}
	return score
}

func dropSeparator(r rune) rune {
	if strings.ContainsRune(" -_.", r) {
		return -1
	}
	return r
}
