package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAuditLogFilters: staff narrow the audit log by who, what, city and
// day, the filters stay in the URL, and a bad filter is a 400.
func TestAuditLogFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	coo := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, coo.post(t, "/manage/cities/agadir/events", a.validEventForm("Filtered event")), http.StatusSeeOther)
	staff := a.loggedIn(t, "staff@example.org")
	rows := func(query string) []string {
		t.Helper()
		res := staff.get(t, "/manage/audit?"+query)
		wantStatus(t, res, http.StatusOK)
		var out []string
		for _, tr := range res.doc(t).Find("[data-testid=audit-table] tbody tr").EachIter() {
			out = append(out, strings.Join(strings.Fields(tr.Text()), " "))
		}
		return out
	}
	if got := rows("who=agadir%40example.org&action=create"); len(got) != 1 || !strings.Contains(got[0], "Filtered event") {
		t.Errorf("who + what: %q", got)
	}
	for _, r := range rows("city=fez") {
		if !strings.Contains(r, "Fez") {
			t.Errorf("city=fez shows %q", r)
		}
	}
	today := time.Now().UTC().Format(time.DateOnly)
	if got := rows("from=" + today + "&to=" + today + "&who=agadir%40example.org&action=create"); len(got) != 1 {
		t.Errorf("today's entries: %q", got)
	}
	if got := rows("to=2001-01-01"); len(got) != 0 {
		t.Errorf("entries before the tracker existed: %q", got)
	}
	for _, bad := range []string{"action=steal", "city=atlantis", "from=yesterday", "to=1999-01-01"} {
		wantStatus(t, staff.get(t, "/manage/audit?"+bad), http.StatusBadRequest)
	}
}
