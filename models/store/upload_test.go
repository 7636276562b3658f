package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// uploadRows are the uploads kept: their token hashes and states.
func uploadRows(t *testing.T, s *store.Store) map[string]models.UploadState {
	t.Helper()
	rows, err := s.Rows(context.Background(), "SELECT token_hash, state FROM uploads")
	must(t, err)
	defer rows.Close()
	out := map[string]models.UploadState{}
	for rows.Next() {
		var h string
		var st models.UploadState
		must(t, rows.Scan(&h, &st))
		out[h] = st
	}
	return out
}

// A preview replaces the user's last one for the city, and a user keeps
// at most MaxWaitingUploads waiting in all; tokens are kept hashed.
func TestPreviewsReplaceTheLastOne(t *testing.T) {
	f := storetest.NewFixture(t)
	s, ctx := f.Store, context.Background()
	save := func(u *models.User, city *models.City) string {
		t.Helper()
		token, err := s.SaveUpload(ctx, &models.Upload{UserID: u.ID, CityID: city.ID, Kind: "events", Name: "a.csv", Data: make([]byte, 1<<10)})
		must(t, err)
		return token
	}
	// An import confirmed earlier, of the same user and city, is kept.
	confirmed := save(f.AgadirCoo, f.Agadir)
	up, err := s.Upload(ctx, confirmed, f.AgadirCoo.ID, f.Agadir.ID)
	must(t, err)
	must(t, s.ClaimUpload(ctx, up, "here"))
	var last string
	for range 10 {
		last = save(f.AgadirCoo, f.Agadir)
	}
	rows := uploadRows(t, s)
	if len(rows) != 2 {
		t.Fatalf("ten previews and a confirmed import leave %d rows, want 2: %v", len(rows), rows)
	}
	if _, ok := rows[last]; ok {
		t.Error("a token kept in clear")
	}
	if _, err := s.Upload(ctx, last, f.AgadirCoo.ID, f.Agadir.ID); err != nil {
		t.Errorf("the last preview: %v", err)
	}
	if _, err := s.ConfirmedUpload(ctx, confirmed, f.Agadir.ID); err != nil {
		t.Errorf("the confirmed import: %v", err)
	}
	// Staff previewing for many cities keep the newest few.
	cities := []*models.City{f.Agadir, f.Fez}
	for i := range 3 {
		c := &models.City{Name: "City " + string(rune('A'+i)), Country: "FR", Region: models.RegionEuropeNA, JoinedYear: 2024}
		must(t, s.CreateCity(ctx, models.CLIActor(), c, nil))
		cities = append(cities, c)
	}
	var tokens []string
	for _, c := range cities {
		tokens = append(tokens, save(f.Staff, c))
	}
	for i, token := range tokens {
		_, err := s.Upload(ctx, token, f.Staff.ID, cities[i].ID)
		if kept := i >= len(tokens)-models.MaxWaitingUploads; kept != (err == nil) {
			t.Errorf("preview %d of %d: kept %v (%v)", i+1, len(tokens), err == nil, err)
		}
	}
}

// A running import beats; one whose beat is older than the cutoff is
// settled failed, once, and one that beats is not.
func TestStaleImportIsSettled(t *testing.T) {
	f := storetest.NewFixture(t)
	s, ctx := f.Store, context.Background()
	token, err := s.SaveUpload(ctx, &models.Upload{UserID: f.AgadirCoo.ID, CityID: f.Agadir.ID, Kind: "events", Name: "a.csv", Data: []byte("x")})
	must(t, err)
	up, err := s.Upload(ctx, token, f.AgadirCoo.ID, f.Agadir.ID)
	must(t, err)
	must(t, s.ClaimUpload(ctx, up, "elsewhere"))
	// Beaten just now: not stale as of a second ago.
	must(t, s.BeatUpload(ctx, token))
	if settled, err := s.SettleUpload(ctx, token, time.Now().Add(-time.Second)); err != nil || settled {
		t.Fatalf("a beating import settled: %v %v", settled, err)
	}
	// A minute later, with no beat since, it is.
	later := time.Now().Add(time.Minute)
	if settled, err := s.SettleUpload(ctx, token, later.Add(-models.UploadStale)); err != nil || !settled {
		t.Fatalf("a stale import not settled: %v %v", settled, err)
	}
	got, err := s.ConfirmedUpload(ctx, token, f.Agadir.ID)
	must(t, err)
	if got.State != models.UploadFailed || got.Failure != models.FailInterrupted {
		t.Errorf("settled as %s %s", got.State, got.Failure)
	}
	if settled, _ := s.SettleUpload(ctx, token, later); settled {
		t.Error("settled twice")
	}
	// A done import is never settled.
	token2, err := s.SaveUpload(ctx, &models.Upload{UserID: f.AgadirCoo.ID, CityID: f.Fez.ID, Kind: "events", Name: "b.csv", Data: []byte("x")})
	must(t, err)
	up2, err := s.Upload(ctx, token2, f.AgadirCoo.ID, f.Fez.ID)
	must(t, err)
	must(t, s.ClaimUpload(ctx, up2, "elsewhere"))
	must(t, s.FinishUpload(ctx, token2, 3, 0, ""))
	if settled, _ := s.SettleUpload(ctx, token2, later); settled {
		t.Error("a done import settled")
	}
}
