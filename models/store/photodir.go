package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// PhotoDir keeps the stored photos, one JPEG file per photo, named by a
// random key.
type PhotoDir struct{ dir string }

// save writes a photo under a new random key and returns the key.
func (d PhotoDir) save(data []byte) (string, error) {
	if d.dir == "" {
		return "", errors.New("no photo directory configured")
	}
	// Only the server's user may list or read the photos (files are 0600).
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return "", err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	key := hex.EncodeToString(b)
	tmp, err := os.CreateTemp(d.dir, ".upload-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return key, os.Rename(tmp.Name(), d.path(key))
}

func (d PhotoDir) path(key string) string { return filepath.Join(d.dir, key+".jpg") }

// remove deletes a photo; a photo already gone is fine.
func (d PhotoDir) remove(key string) error {
	if key == "" {
		return nil
	}
	if err := os.Remove(d.path(key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// open returns the photo's file.
func (d PhotoDir) open(key string) (*os.File, error) {
	if _, err := hex.DecodeString(key); err != nil || len(key) != 32 {
		return nil, models.ErrNotFound
	}
	f, err := os.Open(d.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, models.ErrNotFound
	}
	return f, err
}
