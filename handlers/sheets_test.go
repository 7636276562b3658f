package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// countUploads is how many uploads the database keeps.
func (a *app) countUploads(t testing.TB) int {
	t.Helper()
	rows, err := a.store.Rows(context.Background(), "SELECT COUNT(*) FROM uploads")
	must(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		must(t, rows.Scan(&n))
	}
	return n
}

// TestImportRefusesHostileSpreadsheets sends each hostile file of the
// security review (hostileSheets, which the benchmark times on the real
// server): each is refused beside the file field, and nothing is written.
func TestImportRefusesHostileSpreadsheets(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	for _, f := range hostileSheets() {
		t.Run(f.name, func(t *testing.T) {
			events, partners, uploads := a.countEvents(t), a.countPartners(t), a.countUploads(t)
			res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, f.file, f.data)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if got := res.doc(t).Find("[data-testid=error-file]").Text(); !strings.Contains(got, f.want) {
				t.Errorf("file error %q, want %q", got, f.want)
			}
			if a.countEvents(t) != events || a.countPartners(t) != partners || a.countUploads(t) != uploads {
				t.Error("a refused file wrote something")
			}
		})
	}
}

// A coordinator previewing a file again and again keeps one copy of it
// in the database: each preview replaces the last (issue 25, item 4).
func TestPreviewsReplaceTheLastOne(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	uploads := a.countUploads(t)
	var token string
	for range 10 {
		res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV))
		wantStatus(t, res, http.StatusOK)
		token = importToken(t, res)
	}
	if n := a.countUploads(t); n != uploads+1 {
		t.Errorf("ten previews leave %d uploads, want %d", n, uploads+1)
	}
	// The last one is the one that can be confirmed.
	res := co.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {token}, "create_partners": {"yes"}})
	if res.doc(t).Find("[data-testid=import-done]").Length() == 0 {
		t.Errorf("the last preview did not import:\n%s", res.body)
	}
}
