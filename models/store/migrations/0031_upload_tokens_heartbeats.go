package migrations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// This file is the fill of migration 31, frozen as it was at its version.

// uploadTokensHashed is migration 31's fill: it replaces each upload's
// token, kept in clear until then, by its hash (sha256, in hex), which
// is what the store looks uploads up by from this version on.
func uploadTokensHashed(db DB, _ Engine) error {
	rs, err := db.Rows("SELECT token_hash FROM uploads")
	if err != nil {
		return fmt.Errorf("upload tokens: %w", err)
	}
	var tokens []string
	for rs.Next() {
		var t string
		if err := rs.Scan(&t); err != nil {
			rs.Close()
			return fmt.Errorf("upload tokens: %w", err)
		}
		tokens = append(tokens, t)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("upload tokens: %w", err)
	}
	for _, t := range tokens {
		sum := sha256.Sum256([]byte(t))
		if err := db.Exec("UPDATE uploads SET token_hash = ? WHERE token_hash = ?", hex.EncodeToString(sum[:]), t); err != nil {
			return fmt.Errorf("upload tokens: %w", err)
		}
	}
	return nil
}
