package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestPartnerValidation(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		partner models.Partner
		field   string
	}{
		{"no name", models.Partner{Sector: models.SectorMedia}, "name"},
		{"bad sector", models.Partner{Name: "X", Sector: "army"}, "sector"},
		{"bad email", models.Partner{Name: "X", Sector: models.SectorMedia, ContactEmail: "x@"}, "contact_email"},
		{"javascript website", models.Partner{Name: "X", Sector: models.SectorMedia, Website: "javascript:alert(1)"}, "website"},
		{"website without host", models.Partner{Name: "X", Sector: models.SectorMedia, Website: "https://"}, "website"},
		{"mail address as website", models.Partner{Name: "X", Sector: models.SectorMedia, Website: "mailto:x@example.org"}, "website"},
	}
	for _, tt := range tests {
		p := tt.partner
		p.CityID = f.Agadir.ID
		err := f.Store.CreatePartner(ctx, models.CLIActor(), &p)
		if fe, ok := models.AsFieldErrors(err); !ok || fe[tt.field].Code == "" {
			t.Errorf("%s: err = %v, want a problem on %s", tt.name, err, tt.field)
		}
	}
	all, err := f.Store.Partners(ctx, models.PartnerFilter{CityID: f.Agadir.ID}, models.Page{})
	must(t, err)
	if all.Total != 1 {
		t.Errorf("partners = %d after refused creations, want 1", all.Total)
	}
}

// TestPartnerWebsiteWithoutScheme: a bare domain, as people write it, is
// taken and stored as an https address.
func TestPartnerWebsiteWithoutScheme(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	p := models.Partner{CityID: f.Agadir.ID, Name: "Agadir Radio", Sector: models.SectorMedia, Website: " radio.example.ma/programmes "}
	must(t, f.Store.CreatePartner(context.Background(), models.CLIActor(), &p))
	got, err := f.Store.Partner(context.Background(), p.ID)
	must(t, err)
	if got.Website != "https://radio.example.ma/programmes" {
		t.Errorf("website = %q", got.Website)
	}
}

func TestDeletePartnerInUseIsRefused(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), f.ValidEvent()))
	if err := f.Store.DeletePartner(ctx, f.AgadirCoo.Actor(), f.AgadirPartner); !errors.Is(err, models.ErrInUse) {
		t.Fatalf("delete partner in use: err = %v, want ErrInUse", err)
	}
	if _, err := f.Store.Partner(ctx, f.AgadirPartner.ID); err != nil {
		t.Fatalf("partner gone after refused delete: %v", err)
	}
	must(t, f.Store.DeletePartner(ctx, models.CLIActor(), f.FezPartner))
	if _, err := f.Store.Partner(ctx, f.FezPartner.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("deleted partner: err = %v", err)
	}
}
