package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestPartnerCRUD(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "agadir@example.org")
	form := url.Values{"name": {"Radio Agadir"}, "sector": {"media"}, "contact_name": {"Omar"}, "contact_email": {"omar@radio.example"}, "website": {"https://radio.example"}, "active": {"true"}}
	wantStatus(t, c.post(t, "/manage/cities/agadir/partners", form), http.StatusSeeOther)
	list := c.get(t, "/manage/cities/agadir/partners?q=radio").doc(t)
	if !strings.Contains(list.Find("[data-testid=partner-table]").Text(), "omar@radio.example") {
		t.Error("the coordinator does not see the contact email")
	}
	page, err := a.store.Partners(ctx, models.PartnerFilter{CityID: a.agadir.ID, Query: "radio"}, models.Page{})
	must(t, err)
	p := page.Items[0]

	// Bad input.
	bad := url.Values{"name": {""}, "sector": {"army"}, "contact_email": {"omar@"}, "website": {"javascript:alert(1)"}}
	res := c.post(t, fmt.Sprintf("/manage/partners/%d", p.ID), bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	for _, field := range []string{"name", "sector", "contact_email", "website"} {
		if doc.Find("[data-testid=error-"+field+"]").Length() != 1 {
			t.Errorf("no error beside %s", field)
		}
	}
	got, err := a.store.Partner(ctx, p.ID)
	must(t, err)
	if got.Name != "Radio Agadir" || got.Website != "https://radio.example" {
		t.Errorf("an invalid update changed the partner: %+v", got)
	}

	// Deactivate, then delete.
	form.Del("active")
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/partners/%d", p.ID), form), http.StatusSeeOther)
	got, _ = a.store.Partner(ctx, p.ID)
	if got.Active {
		t.Error("partner still active")
	}
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/partners/%d/delete", p.ID), nil), http.StatusSeeOther)
	if _, err := a.store.Partner(ctx, p.ID); err != models.ErrNotFound {
		t.Errorf("partner not deleted: %v", err)
	}

	// A partner that took part in an event stays.
	res = c.post(t, fmt.Sprintf("/manage/partners/%d/delete", a.agadirPart.ID), nil)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, "inactive") {
		t.Error("refusal does not say what to do instead")
	}
}
