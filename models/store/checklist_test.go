package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestGettingStarted reads every step for several cities in one call: a
// city with nothing, one with a partner only, one with everything; the
// user's own account and a disabled one are no colleague; a check of
// the page is written once.
func TestGettingStarted(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	cli := models.CLIActor()
	empty := &models.City{Name: "Essaouira", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, f.Store.CreateCity(ctx, cli, empty, nil))
	me, err := f.Store.CreateUser(ctx, cli, models.NewUser{Email: "me@example.org", Name: "Me", Password: "a long password",
		Role: models.RoleCoordinator, CityIDs: []uint{f.Agadir.ID, f.Fez.ID, empty.ID}})
	must(t, err)
	gone, err := f.Store.CreateUser(ctx, cli, models.NewUser{Email: "gone@example.org", Name: "Gone", Password: "a long password",
		Role: models.RoleCoordinator, CityIDs: []uint{f.Fez.ID}})
	must(t, err)
	must(t, f.Store.SetUserDisabled(ctx, cli, gone.ID, true))
	must(t, f.Store.CreateEvent(ctx, cli, f.ValidEvent()))
	for range 2 {
		must(t, f.Store.CheckCityPage(ctx, me.Actor(), f.Agadir))
	}

	got, err := f.Store.GettingStarted(ctx, me.ID, []uint{empty.ID, f.Fez.ID, f.Agadir.ID})
	must(t, err)
	want := map[uint]models.GettingStarted{
		f.Agadir.ID: {CityID: f.Agadir.ID, PageChecked: true, HasPartner: true, HasEvent: true, HasColleague: true},
		f.Fez.ID:    {CityID: f.Fez.ID, HasPartner: true},
		empty.ID:    {CityID: empty.ID},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d cities: %+v", len(got), got)
	}
	for _, g := range got {
		if g != want[g.CityID] {
			t.Errorf("city %d: %+v, want %+v", g.CityID, g, want[g.CityID])
		}
	}
	if !want[f.Agadir.ID].Done() || want[f.Fez.ID].Steps() != 1 {
		t.Error("Done or Steps miscount")
	}
	entries, err := f.Store.AuditEntries(ctx, models.AuditFilter{AllCities: true, Action: models.AuditCheck}, models.Page{Size: 10})
	must(t, err)
	if entries.Total != 1 || fmt.Sprint(*entries.Items[0].CityID) != fmt.Sprint(f.Agadir.ID) || entries.Items[0].UserEmail != "me@example.org" {
		t.Errorf("check entries: %+v", entries.Items)
	}
	none, err := f.Store.GettingStarted(ctx, me.ID, nil)
	if err != nil || len(none) != 0 {
		t.Errorf("no cities: %v, %v", none, err)
	}
}
