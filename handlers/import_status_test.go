package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
)

// heldImports makes an app whose confirmed imports wait, once in the
// background, until the test lets them go: held tells when one waits.
// Before the store closes, any import still held is let go and followed
// to its end.
func heldImports(t *testing.T) (a *app, held <-chan struct{}, release func()) {
	t.Helper()
	return heldImportsWith(t, nil)
}

// heldImportsWith is heldImports, with the server's count of background
// work.
func heldImportsWith(t *testing.T, background *sync.WaitGroup) (a *app, held <-chan struct{}, release func()) {
	t.Helper()
	waiting, gate := make(chan struct{}, 8), make(chan struct{})
	a = newAppWith(t, handlers.Config{ImportHold: func() { waiting <- struct{}{}; <-gate }, Background: background}, false)
	released := false
	release = func() {
		if !released {
			released = true
			close(gate)
		}
	}
	t.Cleanup(release)
	return a, waiting, release
}

// wait is the next import held, or a failed test after 10 s.
func wait(t *testing.T, held <-chan struct{}) {
	t.Helper()
	select {
	case <-held:
	case <-time.After(10 * time.Second):
		t.Fatal("no import started")
	}
}

func TestImportRunsInTheBackgroundWithItsProgress(t *testing.T) {
	a, held, release := heldImports(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	events := a.countEvents(t)
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV))
	wantStatus(t, res, http.StatusOK)
	token := importToken(t, res)
	res = co.post(t, path+"/confirm", url.Values{"token": {token}, "create_partners": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	status := res.Header.Get("Location")
	if status != path+"/status/"+token {
		t.Fatalf("the confirmation leads to %q", status)
	}
	wait(t, held)

	// While it runs: the page reloads itself and shows how far it is, in
	// a progress bar and in words announced politely.
	res = co.get(t, status)
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if state, _ := doc.Find("[data-testid=import-status]").Attr("data-state"); state != "running" {
		t.Errorf("state while running: %q", state)
	}
	if refresh, _ := doc.Find(`meta[http-equiv=refresh]`).Attr("content"); refresh != "2" {
		t.Errorf("the running page reloads every %q s, want 2", refresh)
	}
	if doc.Find("progress#import-progress").Length() != 1 {
		t.Error("no progress bar")
	}
	if live, _ := doc.Find("[data-testid=import-phase]").Attr("aria-live"); live != "polite" ||
		!strings.Contains(doc.Find("[data-testid=import-phase]").Text(), "Checking the file") {
		t.Errorf("phase: %q (aria-live %q)", doc.Find("[data-testid=import-phase]").Text(), live)
	}

	// The reader may stop the reloading (WCAG 2.2.1) and reload by hand.
	doc = co.get(t, status+"?reload=off").doc(t)
	if doc.Find(`meta[http-equiv=refresh]`).Length() != 0 || doc.Find("[data-testid=import-reload]").Length() != 1 {
		t.Error("the page asked not to reload still reloads itself, or offers no reload link")
	}

	// Who may see it: the coordinator who confirmed it and staff; another
	// coordinator of the city gets a 404, as does an unknown token.
	_, err := a.store.CreateUser(ctx, models.CLIActor(), models.NewUser{Email: "agadir2@example.org", Name: "Second Coordinator",
		Role: models.RoleCoordinator, CityIDs: []uint{a.agadir.ID}, Password: password})
	must(t, err)
	wantStatus(t, a.loggedIn(t, "staff@example.org").get(t, status), http.StatusOK)
	wantStatus(t, a.loggedIn(t, "agadir2@example.org").get(t, status), http.StatusNotFound)
	wantStatus(t, co.get(t, path+"/status/"+strings.Repeat("0", 48)), http.StatusNotFound)
	wantStatus(t, a.loggedIn(t, "fez@example.org").get(t, status), http.StatusForbidden)

	// Confirming again, even before it ends, only shows the status.
	res = co.post(t, path+"/confirm", url.Values{"token": {token}, "create_partners": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != status {
		t.Errorf("a second confirmation leads to %q", res.Header.Get("Location"))
	}

	release()
	res = co.waitImport(t, status)
	doc = res.doc(t)
	if got := doc.Find("[data-testid=import-done]").Text(); !strings.Contains(got, "2 created, 0 updated") {
		t.Errorf("done: %q", got)
	}
	if doc.Find(`meta[http-equiv=refresh]`).Length() != 0 {
		t.Error("the page of an ended import still reloads itself")
	}
	if href, _ := doc.Find("[data-testid=import-events-link]").Attr("href"); href != "/manage/cities/agadir/events" {
		t.Errorf("events link: %q", href)
	}
	if href, _ := doc.Find("[data-testid=import-report-link]").Attr("href"); href != "/reports?city=agadir" {
		t.Errorf("report link: %q", href)
	}
	if got := a.countEvents(t); got != events+2 {
		t.Fatalf("events: %d, want %d (imported once)", got, events+2)
	}
	// The outcome is kept on the upload: another server, or this one
	// restarted, shows it too.
	res = a.restarted(t).loggedIn(t, "agadir@example.org").get(t, status)
	wantStatus(t, res, http.StatusOK)
	if got := res.doc(t).Find("[data-testid=import-done]").Text(); !strings.Contains(got, "2 created") {
		t.Errorf("done, after a restart: %q", got)
	}
}

func TestFailedImportWritesNothing(t *testing.T) {
	a, held, release := heldImports(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	// A partner of the city, named by the file, is deleted between the
	// confirmation and the import: the file no longer checks.
	gone := a.addPartner(t, a.agadir.ID, "Agadir Evening School")
	file := "Reference,Title,Starts,Learning areas,Partners\nE-1,Evening class,2025-03-10 18:00,culture,Agadir Evening School\n" +
		"E-2,Second class,2025-03-12 18:00,culture,\n"
	events, partners := a.countEvents(t), a.countPartners(t)
	audit, err := a.store.AuditEntries(ctx, models.AuditFilter{CityIDs: []uint{a.agadir.ID}}, models.Page{Size: 1})
	must(t, err)
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "classes.csv", []byte(file))
	wantStatus(t, res, http.StatusOK)
	res = co.post(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})
	wantStatus(t, res, http.StatusSeeOther)
	wait(t, held)
	p, err := a.store.Partner(ctx, gone)
	must(t, err)
	must(t, a.store.DeletePartner(ctx, models.CLIActor(), p))
	release()
	doc := co.waitImport(t, res.Header.Get("Location")).doc(t)
	if got := doc.Find("[data-testid=import-failed]").Text(); !strings.Contains(got, "no longer checks") || !strings.Contains(got, "Nothing was imported") {
		t.Errorf("failure: %q", got)
	}
	if a.countEvents(t) != events || a.countPartners(t) != partners-1 {
		t.Errorf("the failed import wrote: events %d (was %d), partners %d (was %d, one deleted)", a.countEvents(t), events, a.countPartners(t), partners)
	}
	after, err := a.store.AuditEntries(ctx, models.AuditFilter{CityIDs: []uint{a.agadir.ID}}, models.Page{Size: 1})
	must(t, err)
	if after.Total != audit.Total+1 { // the partner's deletion only
		t.Errorf("audit entries: %d, want %d", after.Total, audit.Total+1)
	}
}

func TestImportInterruptedByAStopSaysItDidNotFinish(t *testing.T) {
	a, held, release := heldImports(t)
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV))
	wantStatus(t, res, http.StatusOK)
	res = co.post(t, path+"/confirm", url.Values{"token": {importToken(t, res)}, "create_partners": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	status := res.Header.Get("Location")
	wait(t, held)
	// The held run is let go at the end, and followed to its end before
	// the store closes.
	t.Cleanup(func() { release(); co.waitImport(t, status) })
	// The server that claimed the import stops; another (or this one,
	// restarted) cannot know at once: the import may run elsewhere, its
	// last beat is fresh, and the page says so. With no beat for
	// UploadStale, it cannot be running: the page says it did not finish,
	// and the upload is settled so.
	b := *a
	b.serve(t, handlers.Config{}, false)
	doc := b.loggedIn(t, "agadir@example.org").get(t, status).doc(t)
	if state, _ := doc.Find("[data-testid=import-status]").Attr("data-state"); state != "running" {
		t.Errorf("just after the stop: %q", state)
	}
	later := *a
	later.serve(t, handlers.Config{Now: func() time.Time { return time.Now().Add(models.UploadStale + 5*time.Second) }}, false)
	doc = later.loggedIn(t, "agadir@example.org").get(t, status).doc(t)
	if got := doc.Find("[data-testid=import-failed]").Text(); !strings.Contains(got, "did not finish") {
		t.Errorf("with no beat for %v: %q", models.UploadStale, got)
	}
	if got := doc.Find("[data-testid=import-status]").Text(); !strings.Contains(got, "Nothing was imported") {
		t.Errorf("the page does not say nothing was imported: %q", got)
	}
	if doc.Find(`meta[http-equiv=refresh]`).Length() != 0 {
		t.Error("the page of an interrupted import reloads itself")
	}
	up, err := a.store.ConfirmedUpload(context.Background(), path2token(status), a.agadir.ID)
	must(t, err)
	if up.State != models.UploadFailed || up.Failure != models.FailInterrupted {
		t.Errorf("the upload stays %s %s", up.State, up.Failure)
	}
}

// path2token is the token at the end of an import's status path.
func path2token(status string) string { return status[strings.LastIndex(status, "/")+1:] }

// A server that stops waits for the imports under way: the background
// count of the server covers each run until its outcome is kept.
func TestStoppingServerWaitsForTheImportUnderWay(t *testing.T) {
	var background sync.WaitGroup
	a, held, release := heldImportsWith(t, &background)
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV))
	wantStatus(t, res, http.StatusOK)
	token := importToken(t, res)
	wantStatus(t, co.post(t, path+"/confirm", url.Values{"token": {token}, "create_partners": {"yes"}}), http.StatusSeeOther)
	wait(t, held)
	done := make(chan struct{})
	go func() {
		background.Wait()
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("the server's background count ended while the import was held")
	case <-time.After(200 * time.Millisecond):
	}
	release()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the background count never ended")
	}
	up, err := a.store.ConfirmedUpload(context.Background(), token, a.agadir.ID)
	must(t, err)
	if up.State != models.UploadDone || up.CreatedRows != 2 {
		t.Errorf("when the background count ended, the upload was %s with %d created", up.State, up.CreatedRows)
	}
}
