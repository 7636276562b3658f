package migrations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// This file is the fill of migration 30, frozen as it was at its version.

// sessionsHashed is migration 30's fill: it replaces each session's token
// with its SHA-256 in hex, which is what the store looks sessions up by
// from 30 on.
func sessionsHashed(db DB, _ Engine) error {
	rs, err := db.Rows("SELECT token FROM sessions")
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	var tokens []string
	for rs.Next() {
		var t string
		if err := rs.Scan(&t); err != nil {
			rs.Close()
			return fmt.Errorf("sessions: %w", err)
		}
		tokens = append(tokens, t)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	for _, t := range tokens {
		sum := sha256.Sum256([]byte(t))
		if err := db.Exec("UPDATE sessions SET token = ? WHERE token = ?", hex.EncodeToString(sum[:]), t); err != nil {
			return fmt.Errorf("hash a session token: %w", err)
		}
	}
	return nil
}
