package handlers_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
)

// tablesHolding lists the tables of the app's database in which any
// column of any row holds marker.
func (a *app) tablesHolding(t *testing.T, marker string) []string {
	t.Helper()
	driver, list := "sqlite3", "SELECT name FROM sqlite_master WHERE type = 'table'"
	if strings.HasPrefix(a.dsn, "postgres") {
		driver, list = "pgx", "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	db, err := sql.Open(driver, a.dsn)
	must(t, err)
	defer db.Close()
	rows, err := db.Query(list)
	must(t, err)
	var tables []string
	for rows.Next() {
		var name string
		must(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	must(t, rows.Close())
	var out []string
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		must(t, err)
		cols, _ := rows.Columns()
		found := false
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			for _, v := range vals {
				switch v := v.(type) {
				case string:
					found = found || strings.Contains(v, marker)
				case []byte:
					found = found || strings.Contains(string(v), marker)
				}
			}
		}
		must(t, rows.Close())
		if found {
			out = append(out, table)
		}
	}
	return out
}

// editForm is the moderation page's edit form as the page fills it.
func editForm(t *testing.T, page *response) url.Values {
	t.Helper()
	doc := page.doc(t)
	form := url.Values{}
	for _, name := range []string{"version", "title", "display_name"} {
		v, ok := doc.Find(`[data-testid=edit-form] input[name=` + name + `]`).Attr("value")
		if !ok {
			t.Fatalf("the edit form has no %s:\n%s", name, page.body)
		}
		form.Set(name, v)
	}
	form.Set("body", doc.Find("[data-testid=edit-form] textarea[name=body]").Text())
	return form
}

// TestModeratorEditsBeforePublishing: the city's coordinator redacts a
// surname and fixes a typo, then publishes; the public sees only the
// corrected story, moderators see the learner's original beside it, and
// the withdrawal leaves no trace of either in any table. Refused edits
// (another city, a stale page, a short text, a bad choice) write nothing.
func TestModeratorEditsBeforePublishing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("display_name", "Fatima Quokkasurname")
	form.Set("body", "The literacy circle at the libary changed my life, week after week.")
	code := a.submit(t, form, nil)
	st := a.storyByCode(t, code)
	path := fmt.Sprintf("/manage/stories/%d", st.ID)
	coo := a.loggedIn(t, "agadir@example.org")
	page := coo.get(t, path)
	wantStatus(t, page, http.StatusOK)
	edit := editForm(t, page)
	if edit.Get("display_name") != "Fatima Quokkasurname" || !strings.Contains(edit.Get("body"), "libary") {
		t.Fatalf("the edit form does not start from the story: %v", edit)
	}
	edit.Set("display_name", "Fatima")
	edit.Set("body", "The literacy circle at the library changed my life, week after week.")
	edit.Set("then", "publish")
	unchanged := func(what string) {
		t.Helper()
		got := a.storyByCode(t, code)
		revs, err := a.store.StoryRevisions(context.Background(), st.ID)
		must(t, err)
		if got.DisplayName != "Fatima Quokkasurname" || got.Status != models.StoryPending || len(revs) != 0 {
			t.Errorf("%s wrote: %+v, %d revisions", what, got, len(revs))
		}
	}
	fez := a.loggedIn(t, "fez@example.org")
	wantStatus(t, fez.post(t, path+"/edit", edit), http.StatusForbidden)
	unchanged("another city's coordinator")
	bad := url.Values{}
	for k, v := range edit {
		bad[k] = v
	}
	bad.Set("then", "delete")
	wantStatus(t, coo.post(t, path+"/edit", bad), http.StatusBadRequest)
	unchanged("a bad choice")
	bad.Set("then", "save")
	bad.Set("body", "Too short")
	res := coo.post(t, path+"/edit", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if doc := res.doc(t); doc.Find("[data-testid=error-body]").Length() != 1 || doc.Find("[data-testid=edit-details][open]").Length() != 1 {
		t.Errorf("the short text's error is not shown in the open edit form:\n%s", res.body)
	}
	unchanged("a short text")
	bad.Set("body", edit.Get("body"))
	bad.Set("version", "0123456789abcdef")
	wantStatus(t, coo.post(t, path+"/edit", bad), http.StatusSeeOther)
	unchanged("a stale page")

	wantStatus(t, coo.post(t, path+"/edit", edit), http.StatusSeeOther)
	got := a.storyByCode(t, code)
	if got.Status != models.StoryPublished || got.DisplayName != "Fatima" || strings.Contains(got.Body, "libary") {
		t.Fatalf("edited and published story = %+v", got)
	}
	public := a.client()
	for _, p := range []string{fmt.Sprintf("/stories/%d", st.ID), "/stories", "/cities/agadir", "/stories/feed.atom"} {
		body := public.get(t, p).body
		if strings.Contains(body, "Quokkasurname") || strings.Contains(body, "libary") {
			t.Errorf("%s shows the learner's original", p)
		}
	}
	mod := coo.get(t, path).doc(t)
	orig := mod.Find("[data-testid=revisions]")
	if !strings.Contains(orig.Text(), "Original submitted by the learner") || !strings.Contains(orig.Text(), "Quokkasurname") ||
		orig.Find("del").Length() == 0 || orig.Find("ins").Length() == 0 {
		t.Errorf("the moderator does not see the original with its changes: %q", orig.Text())
	}
	if d, _ := orig.Find(".revision-body").Attr("dir"); d != "auto" {
		t.Error("the original's text has no dir=auto")
	}
	staff := a.loggedIn(t, "staff@example.org")
	log := staff.get(t, "/manage/audit").body
	if !strings.Contains(log, "edited") || strings.Contains(log, "Quokkasurname") {
		t.Error("the audit log does not say edited, or holds the learner's words")
	}
	if tables := a.tablesHolding(t, "Quokkasurname"); len(tables) != 1 || tables[0] != "story_revisions" {
		t.Fatalf("the original is kept in %v, want story_revisions only", tables)
	}

	// Withdrawn: no table keeps the original.
	wantStatus(t, public.post(t, "/stories/withdraw", url.Values{"code": {code}, "confirm": {"yes"}}), http.StatusOK)
	for _, marker := range []string{"Quokkasurname", "libary", "week after week"} {
		if tables := a.tablesHolding(t, marker); len(tables) > 0 {
			t.Errorf("%q survives the withdrawal in %v", marker, tables)
		}
	}
}

// TestHideAndShowAgain: a published story is hidden (not public, not in
// the queue of pending stories) and shown again where it was.
func TestHideAndShowAgain(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code := a.submit(t, validStoryForm(), nil)
	st := a.storyByCode(t, code)
	path := fmt.Sprintf("/manage/stories/%d", st.ID)
	coo := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, coo.post(t, path+"/publish", nil), http.StatusSeeOther)
	published := a.storyByCode(t, code).PublishedAt
	wantStatus(t, coo.post(t, path+"/unpublish", nil), http.StatusSeeOther)
	if got := a.storyByCode(t, code); got.Status != models.StoryHidden {
		t.Fatalf("hidden story is %s", got.Status)
	}
	public := a.client()
	wantStatus(t, public.get(t, fmt.Sprintf("/stories/%d", st.ID)), http.StatusNotFound)
	if strings.Contains(coo.get(t, "/manage/stories").body, "I learned to read") {
		t.Error("the hidden story is back in the queue of pending stories")
	}
	if !strings.Contains(coo.get(t, "/manage/stories?status=hidden").body, "I learned to read") {
		t.Error("the hidden story is not listed under its status")
	}
	status := public.post(t, "/stories/status", url.Values{"code": {code}}).doc(t)
	if status.Find("[data-testid=hidden]").Length() != 1 {
		t.Error("the learner is not told the story is hidden")
	}
	show := coo.get(t, path).doc(t)
	if got := strings.TrimSpace(show.Find("[data-testid=action-publish]").Text()); got != "Show again" {
		t.Errorf("the hidden story's button says %q", got)
	}
	wantStatus(t, coo.post(t, path+"/publish", nil), http.StatusSeeOther)
	got := a.storyByCode(t, code)
	if got.Status != models.StoryPublished || got.PublishedAt == nil || !got.PublishedAt.Equal(*published) {
		t.Errorf("shown again: %s, published %v, was %v", got.Status, got.PublishedAt, published)
	}
	wantStatus(t, public.get(t, fmt.Sprintf("/stories/%d", st.ID)), http.StatusOK)
}

// TestBulkPublish: the queue publishes the ticked stories at once; an id
// that is malformed, unknown, of another city or no longer pending
// refuses the whole request and publishes nothing.
func TestBulkPublish(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var ids []string
	for i := range 3 {
		form := validStoryForm()
		form.Set("title", fmt.Sprintf("Bulk story %d", i))
		ids = append(ids, fmt.Sprint(a.storyByCode(t, a.submit(t, form, nil)).ID))
	}
	fezForm := validStoryForm()
	fezForm.Set("city", "fez")
	fezID := fmt.Sprint(a.storyByCode(t, a.submit(t, fezForm, nil)).ID)
	coo := a.loggedIn(t, "agadir@example.org")
	queue := coo.get(t, "/manage/stories").doc(t)
	if n := queue.Find("[data-testid=bulk-select]").Length(); n != 3 {
		t.Errorf("%d stories to select, want 3", n)
	}
	if d, _ := queue.Find("[data-testid=queue] .queue-excerpt").Attr("dir"); d != "auto" {
		t.Error("the queue's excerpts have no dir=auto")
	}
	published := func() int {
		t.Helper()
		p, err := a.store.Stories(context.Background(), models.StoryFilter{Status: models.StoryPublished}, models.Page{Size: 10})
		must(t, err)
		return len(p.Items)
	}
	for _, tc := range []struct {
		name string
		ids  []string
		want int
	}{
		{"another city's story", []string{ids[0], fezID}, http.StatusForbidden},
		{"a malformed id", []string{ids[0], "1 OR 1=1"}, http.StatusBadRequest},
		{"an unknown id", []string{ids[0], "99999"}, http.StatusNotFound},
		{"nothing ticked", nil, http.StatusUnprocessableEntity},
	} {
		wantStatus(t, coo.post(t, "/manage/stories/publish", url.Values{"id": tc.ids}), tc.want)
		if n := published(); n != 0 {
			t.Fatalf("%s: %d stories published", tc.name, n)
		}
	}
	wantStatus(t, coo.post(t, "/manage/stories/"+ids[2]+"/publish", nil), http.StatusSeeOther)
	res := coo.post(t, "/manage/stories/publish", url.Values{"id": {ids[0], ids[2]}})
	wantStatus(t, res, http.StatusConflict)
	if doc := res.doc(t); !strings.Contains(doc.Find("[data-testid=bulk-error]").Text(), "Bulk story 2") ||
		doc.Find(`[data-testid=bulk-select][value="`+ids[0]+`"][checked]`).Length() != 1 {
		t.Errorf("the refusal does not name the story, or loses the selection:\n%s", res.body)
	}
	if n := published(); n != 1 {
		t.Fatalf("%d stories published after a stale selection, want 1", n)
	}
	wantStatus(t, coo.post(t, "/manage/stories/publish", url.Values{"id": {ids[0], ids[1]}}), http.StatusSeeOther)
	if n := published(); n != 3 {
		t.Errorf("%d stories published, want 3", n)
	}
	if flash := coo.get(t, "/manage/stories").doc(t).Find("[data-testid=flash]").Text(); flash != "2 stories published." {
		t.Errorf("flash = %q", flash)
	}
}

// TestDecisionsHaveEqualWeight: Publish and Do not publish sit side by
// side in the same style, the reason beside Do not publish; a missing
// reason comes back where the moderator looks: the page opens at the
// reason field, focused, the summary linking to it just above.
func TestDecisionsHaveEqualWeight(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	st := a.storyByCode(t, a.submit(t, validStoryForm(), nil))
	coo := a.loggedIn(t, "agadir@example.org")
	doc := coo.get(t, fmt.Sprintf("/manage/stories/%d", st.ID)).doc(t)
	pair := doc.Find(".decision-pair")
	publish, reject := pair.Find("[data-testid=action-publish]"), pair.Find("[data-testid=action-reject]")
	if publish.Length() != 1 || reject.Length() != 1 {
		t.Fatal("Publish and Do not publish are not side by side")
	}
	if a, b := publish.AttrOr("class", ""), reject.AttrOr("class", ""); a != b {
		t.Errorf("buttons of unequal weight: %q and %q", a, b)
	}
	if pair.Find("[data-testid=reject-form] textarea#reason").Length() != 1 {
		t.Error("the reason is not beside Do not publish")
	}
	res := coo.post(t, fmt.Sprintf("/manage/stories/%d/reject", st.ID), url.Values{"reason": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = res.doc(t)
	// The answer opens at the reason (a focusable target is focused).
	if action := doc.Find("[data-testid=reject-form]").AttrOr("action", ""); !strings.HasSuffix(action, "#reason") {
		t.Errorf("the reject form's answer does not open at the reason: %q", action)
	}
	if doc.Find("textarea#reason[aria-invalid=true]").Length() != 1 || doc.Find("[data-testid=error-reason]").Length() != 1 {
		t.Error("the reason field is not marked invalid with its error beside it")
	}
	if doc.Find(`#decide [data-testid=error-summary] a[href="#reason"]`).Length() != 1 {
		t.Error("no summary linking to the reason inside the decision")
	}
}

// TestLearnerResubmits: a story sent back with a reason is mailed to its
// learner with the way to resend it; with the receipt code they edit it
// and send it again, and it is back in the queue. Pending and published
// stories cannot be edited, wrong codes and bad text write nothing, and
// resending counts against the story limit.
func TestLearnerResubmits(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	ctx := context.Background()
	code := a.submit(t, validStoryForm(), nil)
	st := a.storyByCode(t, code)
	public := a.client()
	// Pending: not editable.
	res := public.post(t, "/stories/edit", url.Values{"code": {code}})
	wantStatus(t, res, http.StatusConflict)
	if res.doc(t).Find("[data-testid=not-editable]").Length() != 1 {
		t.Error("the learner is not told why the story cannot be edited")
	}
	coo := a.loggedIn(t, "agadir@example.org")
	reason := "أضيفي من فضلك ما تعلّمتِه في الحلقة."
	wantStatus(t, coo.post(t, fmt.Sprintf("/manage/stories/%d/reject", st.ID), url.Values{"reason": {reason}}), http.StatusSeeOther)

	// The rejection mail quotes the reason and says how to resend, without the code.
	msgs := a.outbox(t)
	if len(msgs) != 1 || msgs[0].Kind != models.MailRejected || msgs[0].Recipient != "fatima@private.example" {
		t.Fatalf("outbox = %+v", msgs)
	}
	m, err := a.store.OutboxMessage(ctx, msgs[0].ID)
	must(t, err)
	if !strings.Contains(m.TextBody, "> "+reason) || !strings.Contains(m.TextBody, "https://tracker.example.org/stories/status") ||
		!strings.Contains(m.TextBody, "edit it and send it again") || !strings.Contains(m.HTMLBody, `<blockquote dir="auto"`) {
		t.Errorf("rejection mail:\n%s\n%s", m.TextBody, m.HTMLBody)
	}
	if strings.Contains(m.TextBody+m.HTMLBody, code) || strings.Contains(m.TextBody, "I learned to read") {
		t.Error("the rejection mail carries the code or the story's words")
	}

	// The status page shows the reason and the way to edit.
	status := public.post(t, "/stories/status", url.Values{"code": {code}}).doc(t)
	if q := status.Find("[data-testid=reject-reason]"); q.AttrOr("dir", "") != "auto" || q.Text() != reason {
		t.Errorf("reason on the status page: %q dir=%q", q.Text(), q.AttrOr("dir", ""))
	}
	if status.Find("[data-testid=edit-story]").Length() != 1 {
		t.Fatal("the status page offers no edit")
	}
	res = public.post(t, "/stories/edit", url.Values{"code": {code}})
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if doc.Find("#title").AttrOr("value", "") != "I learned to read" || doc.Find("[data-testid=reject-reason]").AttrOr("dir", "") != "auto" {
		t.Fatalf("the edit form does not start from the story:\n%s", res.body)
	}
	send := url.Values{"code": {code}, "title": {"I learned to read at 54"}, "body": {"The literacy circle at the library taught me letters, then words, then whole books."}, "display_name": {"Fatima"}}
	unchanged := func(what string) {
		t.Helper()
		got := a.storyByCode(t, code)
		revs, _ := a.store.StoryRevisions(ctx, st.ID)
		if got.Status != models.StoryRejected || got.Title != "I learned to read" || len(revs) != 0 {
			t.Errorf("%s wrote: %+v, %d revisions", what, got, len(revs))
		}
	}
	tampered := url.Values{}
	for k, v := range send {
		tampered[k] = v
	}
	tampered.Set("code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
	wantStatus(t, public.post(t, "/stories/resubmit", tampered), http.StatusUnprocessableEntity)
	unchanged("a wrong code")
	tampered.Set("code", code)
	tampered.Set("body", "Too short")
	res = public.post(t, "/stories/resubmit", tampered)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.doc(t).Find("[data-testid=error-body]").Length() != 1 || !strings.Contains(res.body, "I learned to read at 54") {
		t.Error("a short text is not refused beside its field with the rest kept")
	}
	unchanged("a short text")
	tampered.Set("body", strings.Repeat("long ", 1001))
	wantStatus(t, public.post(t, "/stories/resubmit", tampered), http.StatusUnprocessableEntity)
	unchanged("a text over 5,000 characters")

	res = public.post(t, "/stories/resubmit", send)
	wantStatus(t, res, http.StatusOK)
	if doc := res.doc(t); doc.Find("[data-testid=resubmitted]").Length() != 1 || doc.Find("[data-testid=status-value]").Text() != "Waiting for moderation" {
		t.Errorf("after resending:\n%s", res.body)
	}
	got := a.storyByCode(t, code)
	if got.Status != models.StoryPending || got.Title != "I learned to read at 54" || got.RejectReason != reason {
		t.Errorf("resent story = %+v", got)
	}
	// Back in the queue, marked as sent again; the moderator sees the old words.
	queue := coo.get(t, "/manage/stories").doc(t)
	if !strings.Contains(queue.Find("[data-testid=queue]").Text(), "I learned to read at 54") || queue.Find("[data-testid=sent-again]").Length() != 1 {
		t.Error("the resent story is not in the queue marked as sent again")
	}
	mod := coo.get(t, fmt.Sprintf("/manage/stories/%d", st.ID)).doc(t)
	if !strings.Contains(mod.Find("[data-testid=revisions]").Text(), "I learned to read") || mod.Find("[data-testid=moderation-reason]").AttrOr("dir", "") != "auto" {
		t.Error("the moderator does not see the earlier version and reason")
	}
	log := a.loggedIn(t, "staff@example.org").get(t, "/manage/audit").body
	if !strings.Contains(log, "resubmit") && !strings.Contains(log, "sent again") && !strings.Contains(log, "resubmitted") {
		t.Error("the audit log does not record the resubmission")
	}
	// Pending again: neither editable nor resendable; nothing is written.
	wantStatus(t, public.post(t, "/stories/resubmit", send), http.StatusConflict)
	if revs, _ := a.store.StoryRevisions(ctx, st.ID); len(revs) != 1 {
		t.Errorf("%d revisions after resending a pending story, want 1", len(revs))
	}
	// Published: neither.
	wantStatus(t, coo.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), nil), http.StatusSeeOther)
	wantStatus(t, public.post(t, "/stories/edit", url.Values{"code": {code}}), http.StatusConflict)
	wantStatus(t, public.post(t, "/stories/resubmit", send), http.StatusConflict)
	if got := a.storyByCode(t, code); got.Status != models.StoryPublished {
		t.Errorf("a published story's resubmission changed it to %s", got.Status)
	}
}

// TestResubmissionIsRateLimited: sending a story again counts as sending
// a story, per address and hour.
func TestResubmissionIsRateLimited(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code := a.submit(t, validStoryForm(), nil)
	st := a.storyByCode(t, code)
	coo := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, coo.post(t, fmt.Sprintf("/manage/stories/%d/reject", st.ID), url.Values{"reason": {"Say more."}}), http.StatusSeeOther)
	for range 4 {
		a.submit(t, validStoryForm(), nil)
	}
	send := url.Values{"code": {code}, "title": {"Sent again"}, "body": {"The literacy circle at the library taught me to read."}, "display_name": {"Fatima"}}
	res := a.client().post(t, "/stories/resubmit", send)
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.doc(t).Find("[data-testid=rate-limited]").Length() != 1 || !strings.Contains(res.body, "Sent again") {
		t.Error("the limit is not explained with the text kept")
	}
	if got := a.storyByCode(t, code); got.Status != models.StoryRejected || got.Title == "Sent again" {
		t.Errorf("a limited resubmission wrote: %+v", got)
	}
}
