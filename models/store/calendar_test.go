package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestCalendarEventsAndDayCounts(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	at := func(date string, hour int, status models.EventStatus, city *models.City) {
		e := f.ValidEvent()
		e.CityID, e.Status = city.ID, status
		e.PartnerIDs = nil
		if city.ID == f.Fez.ID {
			e.PartnerIDs = []uint{f.FezPartner.ID}
		}
		e.StartsAt = day(date).Add(time.Duration(hour) * time.Hour)
		e.EndsAt = e.StartsAt.Add(time.Hour)
		if status == models.StatusPlanned {
			e.Participants = nil
		}
		must(t, f.Store.CreateEvent(ctx, models.CLIActor(), e))
	}
	at("2025-03-03", 9, models.StatusHeld, f.Agadir)
	at("2025-03-03", 15, models.StatusHeld, f.Fez)
	at("2025-03-20", 10, models.StatusCancelled, f.Agadir)
	at("2025-04-01", 10, models.StatusHeld, f.Agadir)

	march := models.CalendarFilter{From: day("2025-03-01"), To: day("2025-04-01")}
	events, total, err := f.Store.CalendarEvents(ctx, march, 1)
	must(t, err)
	if total != 2 || len(events) != 1 {
		t.Errorf("%d listed of %d, want 1 of 2 (cancelled left out)", len(events), total)
	}
	counts, err := f.Store.CalendarDayCounts(ctx, march)
	must(t, err)
	if len(counts) != 1 || counts["2025-03-03"] != 2 {
		t.Errorf("day counts %v", counts)
	}
	march.CityIDs = []uint{f.Fez.ID}
	counts, err = f.Store.CalendarDayCounts(ctx, march)
	must(t, err)
	if counts["2025-03-03"] != 1 {
		t.Errorf("Fez's day counts %v", counts)
	}
	march.CityIDs = []uint{} // a region with no city: nothing
	if _, total, _ := f.Store.CalendarEvents(ctx, march, 10); total != 0 {
		t.Errorf("no cities, %d events", total)
	}
	feed, err := f.Store.FeedEvents(ctx, models.CalendarFilter{From: day("2025-03-01"), To: day("2025-05-01")}, 10)
	must(t, err)
	if len(feed) != 4 {
		t.Errorf("feed has %d events, want 4 (cancelled ones too)", len(feed))
	}
}
