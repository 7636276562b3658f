package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// An upload that is never confirmed is dropped once past its lifetime,
// by the server's periodic pruning as by the next upload.
func TestUnconfirmedUploadsArePruned(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "t.db"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, models.CLIActor(), models.NewUser{Email: "staff@example.org", Name: "Staff", Password: "a long enough password", Role: models.RoleStaff})
	if err != nil {
		t.Fatal(err)
	}
	c := &models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2016}
	if err := s.CreateCity(ctx, models.CLIActor(), c, nil); err != nil {
		t.Fatal(err)
	}
	fresh, err := s.SaveUpload(ctx, &models.Upload{UserID: u.ID, CityID: c.ID, Kind: "events", Name: "a.csv", Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	old := &models.Upload{TokenHash: hashToken("old"), UserID: u.ID, CityID: c.ID, Kind: "events", Name: "b.csv", Data: []byte("y"), CreatedAt: time.Now().UTC().Add(-models.UploadLifetime - time.Minute)}
	if err := s.db.Create(old).Error; err != nil {
		t.Fatal(err)
	}
	// Uploaded long ago but confirmed a minute ago: its import may be
	// running, and its outcome is shown for an hour.
	started := time.Now().UTC().Add(-time.Minute)
	confirmed := &models.Upload{TokenHash: hashToken("confirmed"), UserID: u.ID, CityID: c.ID, Kind: "events", Name: "c.csv", Data: []byte("z"),
		CreatedAt: time.Now().UTC().Add(-models.UploadLifetime - time.Minute), State: models.UploadRunning, StartedAt: &started}
	if err := s.db.Create(confirmed).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.PruneUploads(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	s.db.Model(&models.Upload{}).Where("token_hash = ?", hashToken("old")).Count(&n)
	if n != 0 {
		t.Error("an upload past its lifetime was kept")
	}
	if _, err := s.ConfirmedUpload(ctx, "confirmed", c.ID); err != nil {
		t.Errorf("an upload confirmed a minute ago, uploaded over an hour ago, was dropped: %v", err)
	}
	if _, err := s.Upload(ctx, fresh, u.ID, c.ID); err != nil {
		t.Errorf("a live upload was dropped: %v", err)
	}
}
