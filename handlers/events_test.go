package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

func TestCreateEventThroughTheForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	form := a.heldEventForm("Coding club launch", 120)
	form["learning_areas"] = []string{"technologies", "education-system"}
	form["age_groups"] = []string{"youth"}
	form["partners"] = []string{fmt.Sprint(a.agadirPart.ID)}
	res := c.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/manage/cities/agadir/events" {
		t.Errorf("redirected to %q", loc)
	}
	list := c.get(t, "/manage/cities/agadir/events?q=coding")
	wantStatus(t, list, http.StatusOK)
	doc := list.doc(t)
	if got := doc.Find("[data-testid=flash]").Text(); got != "Event created." {
		t.Errorf("flash = %q", got)
	}
	rows := doc.Find("[data-testid=event-table] tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "Coding club launch") || !strings.Contains(rows.Text(), "120") {
		t.Fatalf("event list rows: %q", rows.Text())
	}
	p, err := a.store.Events(context.Background(), models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "Coding"}, models.Page{})
	must(t, err)
	e := p.Items[0]
	if e.Status != models.StatusHeld || *e.Participants != 120 || len(e.LearningAreas) != 2 || len(e.AgeGroups) != 1 || len(e.PartnerIDs) != 1 {
		t.Errorf("stored event = %+v", e)
	}
}

func TestEventFormValidation(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	future := time.Now().UTC().Add(48 * time.Hour).Format("2006-01-02T15:04")
	tests := []struct {
		name  string
		edit  func(f url.Values)
		field string
	}{
		{"missing title", func(f url.Values) { f.Set("title", "") }, "title"},
		{"title too long", func(f url.Values) { f.Set("title", strings.Repeat("é", 201)) }, "title"},
		{"bad start", func(f url.Values) { f.Set("starts_at", "tomorrow") }, "starts_at_date"},
		{"bad start date", func(f url.Values) {
			f.Del("starts_at")
			f.Set("starts_at_date", "31/02/2031")
			f.Set("starts_at_time", "10h")
		}, "starts_at_date"},
		{"start time left out", func(f url.Values) {
			f.Del("starts_at")
			f.Set("starts_at_date", "3/2/2031")
			f.Set("starts_at_time", " ")
		}, "starts_at_time"},
		{"bad start time", func(f url.Values) {
			f.Del("starts_at")
			f.Set("starts_at_date", "3/2/2031")
			f.Set("starts_at_time", "25h")
		}, "starts_at_time"},
		{"start date left out", func(f url.Values) { f.Del("starts_at"); f.Set("starts_at_time", "10h") }, "starts_at_date"},
		{"missing start", func(f url.Values) { f.Del("starts_at") }, "starts_at"},
		{"missing end", func(f url.Values) { f.Del("ends_at") }, "ends_at"},
		{"end before start", func(f url.Values) { f.Set("ends_at", "2020-01-01T10:00") }, "ends_at"},
		{"unknown format", func(f url.Values) { f.Set("format", "carrier-pigeon") }, "format"},
		{"unknown status", func(f url.Values) { f.Set("status", "published") }, "status"},
		{"held in the future", func(f url.Values) { f.Set("status", "held"); f.Set("starts_at", future); f.Set("participants", "3") }, "status"},
		{"participants not a number", func(f url.Values) { f.Set("participants", "lots") }, "participants"},
		{"no learning area", func(f url.Values) { f.Del("learning_areas") }, "learning_areas"},
		{"unknown learning area", func(f url.Values) { f["learning_areas"] = []string{"astrology"} }, "learning_areas"},
		{"unknown age group", func(f url.Values) { f["age_groups"] = []string{"babies"} }, "age_groups"},
		{"another city's partner", func(f url.Values) { f["partners"] = []string{fmt.Sprint(a.fezPart.ID)} }, "partners"},
		{"malformed partner id", func(f url.Values) { f["partners"] = []string{"1; DROP TABLE events"} }, "partners"},
		{"unknown campaign", func(f url.Values) { f.Set("campaign", "424242") }, "campaign"},
		{"malformed campaign", func(f url.Values) { f.Set("campaign", "x") }, "campaign"},
		{"age counts not adding up", func(f url.Values) {
			past := time.Now().UTC().Add(-72 * time.Hour)
			f.Set("starts_at", past.Format("2006-01-02T15:04"))
			f.Set("ends_at", past.Add(time.Hour).Format("2006-01-02T15:04"))
			f.Set("status", "held")
			f.Set("participants", "40")
			f["age_groups"] = []string{"children", "adults"}
			f.Set("participants_children", "10")
			f.Set("participants_adults", "20")
		}, "age_participants"},
		{"age count not a number", func(f url.Values) {
			f.Set("participants_youth", "a dozen")
		}, "age_participants"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/manage/cities/agadir/events", fmt.Sprintf("/manage/events/%d", a.agadirEvent.ID)} {
				form := a.validEventForm("Kept title <b>")
				tt.edit(form)
				before := a.countEvents(t)
				res := c.post(t, path, form)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				doc := res.doc(t)
				msg := doc.Find("[data-testid=error-" + tt.field + "]")
				if msg.Length() != 1 || strings.TrimSpace(msg.Text()) == "" {
					t.Errorf("%s: no error message beside %s", path, tt.field)
				}
				// The message stands beside its field and is tied to it.
				id, _ := msg.Attr("id")
				if doc.Find(fmt.Sprintf("#%s[aria-describedby~=%q], [name=%s][aria-describedby~=%q]", tt.field, id, tt.field, id)).Length() == 0 {
					t.Errorf("%s: field %s does not point at its error", path, tt.field)
				}
				if doc.Find("[data-testid=error-summary]").Length() != 1 {
					t.Errorf("%s: no error summary", path)
				}
				// The summary names the field as the form labels it, and links to it.
				label := strings.TrimSpace(doc.Find(fmt.Sprintf("label[for=%s], fieldset#%s > legend", tt.field, tt.field)).First().Contents().First().Text())
				// A half of a moment is "Date" under its legend, "Start date" alone.
				if half, ok := map[string]string{"starts_at_date": "Start date", "starts_at_time": "Start time"}[tt.field]; ok && label == map[bool]string{true: "Date", false: "Time"}[strings.HasSuffix(tt.field, "_date")] {
					label = half
				}
				item := doc.Find("[data-testid=summary-" + tt.field + "]")
				if href, _ := item.Attr("href"); href != "#"+tt.field || label == "" || item.Text() != label+": "+msg.Text() {
					t.Errorf("%s: summary item %q (href %q), want %q", path, item.Text(), href, label+": "+msg.Text())
				}
				if title, _ := doc.Find("#title").Attr("value"); tt.field != "title" && title != "Kept title <b>" {
					t.Errorf("%s: title not kept: %q", path, title)
				}
				if a.countEvents(t) != before {
					t.Fatalf("%s: an invalid form wrote an event", path)
				}
			}
			e, err := a.store.Event(context.Background(), a.agadirEvent.ID)
			must(t, err)
			if e.Title != "Agadir reading afternoon" {
				t.Errorf("an invalid update changed the title to %q", e.Title)
			}
		})
	}
}

func TestMalformedFormIsBadRequest(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/manage/cities/agadir/events?_csrf="+c.csrf(), strings.NewReader("%zz=%%%"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf())
	res := c.do(t, req)
	if res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Fatalf("malformed body: status %d, want 4xx", res.StatusCode)
	}
	if a.countEvents(t) != before {
		t.Fatal("a malformed request wrote an event")
	}
}

func TestEventListFiltersAndBadQueries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	for _, q := range []string{"status=held", "format=in-person", "area=families-communities", "q=reading", "from=2020-01-01&to=2099-12-31", "sort=title", "page=1"} {
		res := c.get(t, "/manage/cities/agadir/events?"+q)
		wantStatus(t, res, http.StatusOK)
		if got := res.doc(t).Find("[data-testid=event-table] tbody tr").Length(); got != 1 {
			t.Errorf("?%s: %d rows, want 1", q, got)
		}
	}
	res := c.get(t, "/manage/cities/agadir/events?status=cancelled")
	wantStatus(t, res, http.StatusOK)
	if res.doc(t).Find("[data-testid=no-events]").Length() != 1 {
		t.Error("empty result has no message")
	}
	for _, q := range []string{"status=done", "format=x", "area=x", "from=yesterday", "to=2024-13-01", "page=0", "page=x"} {
		wantStatus(t, c.get(t, "/manage/cities/agadir/events?"+q), http.StatusBadRequest)
	}
}

func TestDeleteEventAsksFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	path := fmt.Sprintf("/manage/events/%d/delete", a.agadirEvent.ID)
	res := c.get(t, path)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Agadir reading afternoon") {
		t.Error("confirmation does not name the event")
	}
	wantStatus(t, c.post(t, path, nil), http.StatusSeeOther)
	if _, err := a.store.Event(context.Background(), a.agadirEvent.ID); err != models.ErrNotFound {
		t.Fatalf("event not deleted: %v", err)
	}
	wantStatus(t, c.post(t, path, nil), http.StatusNotFound)
}

func TestPublicPagesShowNoPrivateData(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, path := range []string{"/", "/cities", "/cities/agadir", "/cities/fez"} {
		res := a.client().get(t, path)
		wantStatus(t, res, http.StatusOK)
		for _, private := range []string{"hassan@library.example", "leila@fez-univ.example", "Hassan", "Leila"} {
			if strings.Contains(res.body, private) {
				t.Errorf("%s shows private %q", path, private)
			}
		}
	}
	doc := a.client().get(t, "/cities/agadir").doc(t)
	if got := doc.Find("[data-testid=city-name]").Text(); got != "Agadir" {
		t.Errorf("city name = %q", got)
	}
	if !strings.Contains(doc.Find("[data-testid=recent-events]").Text(), "Agadir reading afternoon") {
		t.Error("held event missing from the city page")
	}
	if !strings.Contains(doc.Find("[data-testid=public-partners]").Text(), "Agadir Library") {
		t.Error("active partner missing from the city page")
	}
}

func TestScriptIsEscaped(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	form := a.validEventForm(`<script>alert("x")</script>`)
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusSeeOther)
	for _, path := range []string{"/", "/manage/cities/agadir/events", "/dashboard"} {
		res := c.get(t, path)
		if strings.Contains(res.body, `<script>alert`) {
			t.Errorf("%s renders the script unescaped", path)
		}
		if !strings.Contains(res.body, `&lt;script&gt;`) {
			t.Errorf("%s does not show the escaped title", path)
		}
	}
}

// TestNoLearningAreaSaysChooseOne: a missing choice among checkboxes is
// asked for as a choice, not as a number of characters.
func TestNoLearningAreaSaysChooseOne(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	form := a.validEventForm("No area")
	form.Del("learning_areas")
	res := c.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := strings.TrimSpace(res.doc(t).Find("[data-testid=error-learning_areas]").Text()); got != "Choose at least one." {
		t.Errorf("message = %q, want %q", got, "Choose at least one.")
	}
}

// TestParticipantsIsNotMarkedOptional: the participants field is required
// once the event is held, so it is not labelled "(optional)"; its hint
// says when it is required.
func TestParticipantsIsNotMarkedOptional(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.loggedIn(t, "agadir@example.org").get(t, "/manage/cities/agadir/events/new").doc(t)
	label := doc.Find("label[for=participants]")
	if label.Length() != 1 || label.Find(".optional").Length() != 0 {
		t.Errorf("participants label = %q", label.Text())
	}
	if hint := doc.Find("#hint-participants").Text(); !strings.Contains(hint, "Required once the event is held") {
		t.Errorf("participants hint = %q", hint)
	}
}

// TestEventTimesAreTheCitysLocalTime: times are entered on the city's clock,
// stored as instants, and shown on the city's clock wherever they appear.
func TestEventTimesAreTheCitysLocalTime(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	a.agadir.TimeZone = "Asia/Seoul" // UTC+9 all year: no summer time to dodge
	coordinators, err := a.store.CityCoordinatorIDs(ctx, a.agadir.ID)
	must(t, err)
	must(t, a.store.UpdateCity(ctx, models.CLIActor(), a.agadir, coordinators))
	c := a.loggedIn(t, "agadir@example.org")
	next := time.Now().AddDate(1, 0, 0).Year()
	form := a.validEventForm("Night market of words")
	form.Set("starts_at", fmt.Sprintf("%d-03-10T10:00", next))
	form.Set("ends_at", fmt.Sprintf("%d-03-10T12:30", next))
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusSeeOther)
	p, err := a.store.Events(ctx, models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "Night market"}, models.Page{})
	must(t, err)
	e := p.Items[0]
	if want := time.Date(next, 3, 10, 1, 0, 0, 0, time.UTC); !e.StartsAt.Equal(want) {
		t.Errorf("stored start = %v, want %v", e.StartsAt.UTC(), want)
	}
	edit := c.get(t, fmt.Sprintf("/manage/events/%d/edit", e.ID)).doc(t)
	date, _ := edit.Find("#starts_at_date").Attr("value")
	clock, _ := edit.Find("#starts_at_time").Attr("value")
	if date != fmt.Sprintf("10/03/%d", next) || clock != "10:00" {
		t.Errorf("the edit form shows start %q %q", date, clock)
	}
	if hint := edit.Find("#event-zone").Text(); !strings.Contains(hint, "Asia/Seoul") {
		t.Errorf("the start's hint does not name the city's time zone: %q", hint)
	}
	list := c.get(t, "/manage/cities/agadir/events?q=night").doc(t)
	if got := list.Find("[data-testid=event-table] tbody tr").Text(); !strings.Contains(got, fmt.Sprintf("10 March %d, 10:00", next)) {
		t.Errorf("event list shows %q", got)
	}
	public := a.client().get(t, "/cities/agadir").doc(t)
	if got := public.Find("[data-testid=local-times]").Text(); got != "Times are local time in Agadir." {
		t.Errorf("the public page says %q about its times", got)
	}
	if public.Find(fmt.Sprintf("[data-testid=upcoming-events] time[datetime='%d-03-10T10:00+09:00']", next)).Length() != 1 {
		t.Errorf("the public page does not show the event at 10:00 in Seoul: %q", public.Find("[data-testid=upcoming-events]").Text())
	}
	csv := c.get(t, "/manage/cities/agadir/events.csv")
	if body := csv.body; !strings.Contains(body, fmt.Sprintf("%d-03-10 10:00,%d-03-10 12:30", next, next)) || !strings.Contains(body, "Asia/Seoul") {
		t.Errorf("CSV times are not the city's local time:\n%s", body)
	}
}

// TestDateFieldsShowTheirFormatAndDatesTheLanguages: date fields say how
// they are written, a date typed the language's way is understood, and
// dates are shown the language's way.
func TestDateFieldsShowTheirFormatAndDatesTheLanguages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	next := time.Now().AddDate(1, 0, 0).Year()
	for _, tt := range []struct {
		lang, hint, clockHint, typed, shown string
	}{
		{"en", "Day/month/year, for example 25/03/2026.", "For example 14:00, 14h or 2:30 pm.", "25/03/%d 14:30", "25 March %d, 14:30"},
		{"fr", "Jour/mois/année, par exemple 25/03/2026.", "Par exemple 14:00, 14h ou 14h30.", "26/3/%d 9:05", "26 mars %d, 09:05"},
		{"es", "Día/mes/año, por ejemplo 25/03/2026.", "Por ejemplo 14:00, 14h o 2:30 pm.", "27/03/%d 14:30", "27 de marzo de %d, 14:30"},
		{"ar", "اليوم/الشهر/السنة، مثل \u206825/03/2026\u2069.", "مثل 14:00 أو 2:30 م.", "28/03/%d 14:30", "28 مارس %d"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			c := a.loggedIn(t, "agadir@example.org")
			c.setCookie("ltl_lang", tt.lang)
			form := c.get(t, "/manage/cities/agadir/events/new").doc(t)
			for _, field := range []string{"starts_at", "ends_at"} {
				for half, want := range map[string]string{field + "_date": tt.hint, field + "_time": tt.clockHint} {
					hint := form.Find("#hint-" + half)
					if described, _ := form.Find("#" + half).Attr("aria-describedby"); hint.Text() != want || described != "hint-"+half {
						t.Errorf("%s hint = %q (described by %q), want %q", half, hint.Text(), described, want)
					}
				}
			}
			title := "Date check " + tt.lang
			f := a.validEventForm(title)
			f.Set("starts_at", fmt.Sprintf(tt.typed, next))
			f.Set("ends_at", fmt.Sprintf(tt.typed, next))
			date, _ := form.Find("#starts_at_date").Attr("value")
			clock, _ := form.Find("#starts_at_time").Attr("value")
			if !regexp.MustCompile(`^\d\d/\d\d/\d{4}$`).MatchString(date) || clock != "10:00" {
				t.Errorf("the start is shown as %q %q, not the language's way", date, clock)
			}
			wantStatus(t, c.post(t, "/manage/cities/agadir/events", f), http.StatusSeeOther)
			rows := c.get(t, "/manage/cities/agadir/events?q="+url.QueryEscape(title)).doc(t).Find("[data-testid=event-table] tbody tr").Text()
			if want := fmt.Sprintf(tt.shown, next); !strings.Contains(rows, want) {
				t.Errorf("event list shows %q, want %q", rows, want)
			}
			// The filter takes dates written the language's way, or ISO.
			for _, from := range []string{fmt.Sprintf("01/03/%d", next), fmt.Sprintf("%d-03-01", next)} {
				found := c.get(t, "/manage/cities/agadir/events?from="+url.QueryEscape(from)+"&q="+url.QueryEscape(title))
				wantStatus(t, found, http.StatusOK)
				if found.doc(t).Find("[data-testid=event-table] tbody tr").Length() != 1 {
					t.Errorf("filtering from %s does not find the event", from)
				}
			}
			wantStatus(t, c.get(t, "/manage/cities/agadir/events?from=31/31/2026"), http.StatusBadRequest)
			filter := c.get(t, "/manage/cities/agadir/events").doc(t)
			if described, _ := filter.Find("#from").Attr("aria-describedby"); described != "date-hint" || !strings.Contains(filter.Find("#date-hint").Text(), "25/03/2026") {
				t.Errorf("the date filter's hint: %q (described by %q)", filter.Find("#date-hint").Text(), described)
			}
		})
	}
}

// TestEventFormReadsDatesAsPeopleWriteThem types the dates of a design
// walk (9 December, 14:00, in Agadir) into the event form, in French and
// Arabic: each is stored as meant, or refused with a message that quotes
// it, the format hint still in view, and nothing written.
func TestEventFormReadsDatesAsPeopleWriteThem(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	next := time.Now().AddDate(1, 0, 0).Year()
	yy := next % 100
	want := time.Date(next, time.December, 9, 14, 0, 0, 0, a.agadir.Location())
	c := a.loggedIn(t, "agadir@example.org")
	for i, typed := range []string{
		"9/12/%d 14h", "09/12/%d 14.00", "9.12.%d 14:00", "9-12-%d 14:00", "09/12/%02d 14:00",
		"%d-12-09 14:00", "%d-12-09T14:00", "9/12/%d 2:00 pm", "9/12/%d 1400",
	} {
		y := next
		if strings.Contains(typed, "%02d") {
			y = yy
		}
		typed = fmt.Sprintf(typed, y)
		title := fmt.Sprintf("Typed date %d", i)
		f := a.validEventForm(title)
		f.Set("starts_at", typed)
		f.Set("ends_at", typed)
		wantStatus(t, c.post(t, "/manage/cities/agadir/events", f), http.StatusSeeOther)
		p, err := a.store.Events(context.Background(), models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: title}, models.Page{})
		must(t, err)
		if len(p.Items) != 1 || !p.Items[0].StartsAt.Equal(want) {
			t.Errorf("%q: stored %+v, want a start at %v", typed, p.Items, want)
		}
	}
	// Eastern Arabic digits, on an Arabic page.
	c.setCookie("ltl_lang", "ar")
	arabic := strings.NewReplacer("0", "٠", "1", "١", "2", "٢", "3", "٣", "4", "٤", "5", "٥", "6", "٦", "7", "٧", "8", "٨", "9", "٩").Replace(fmt.Sprintf("09/12/%d 14:00", next))
	f := a.validEventForm("Arabic digits")
	f.Set("starts_at", arabic)
	f.Set("ends_at", arabic)
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", f), http.StatusSeeOther)
	p, err := a.store.Events(context.Background(), models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "Arabic digits"}, models.Page{})
	must(t, err)
	if len(p.Items) != 1 || !p.Items[0].StartsAt.Equal(want) {
		t.Errorf("%q: stored %+v", arabic, p.Items)
	}
	// Refused, each half with its own problem, in French.
	c.setCookie("ltl_lang", "fr")
	for _, tt := range []struct {
		date, clock, half, message, hint string
	}{
		{fmt.Sprintf("9/12/%d", next), "", "time", "Ajoutez l’heure, par exemple 14:00, 14h ou 14h30.", "14h30"},
		{fmt.Sprintf("31/02/%d", next), "14:00", "date", fmt.Sprintf("« 31/02/%d » n’est pas un jour du calendrier", next), "25/03/2026"},
		{fmt.Sprintf("9/12/%d", next), "25h", "time", "L’heure de « 25h » est illisible", "14h30"},
		{"le 9 décembre", "14h", "date", "« le 9 décembre » n’est pas une date lisible. Écrivez jour/mois/année", "25/03/2026"},
		{"", "14h", "date", "Ce champ est obligatoire.", "25/03/2026"},
	} {
		f := a.validEventForm("Refused date")
		f.Del("starts_at")
		f.Set("starts_at_date", tt.date)
		f.Set("starts_at_time", tt.clock)
		before := a.countEvents(t)
		res := c.post(t, "/manage/cities/agadir/events", f)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := res.doc(t)
		field := "starts_at_" + tt.half
		if got := doc.Find("[data-testid=error-" + field + "]").Text(); !strings.Contains(got, tt.message) {
			t.Errorf("%q %q: the message is %q, want %q", tt.date, tt.clock, got, tt.message)
		}
		if n := doc.Find("[data-testid^=error-starts_at]").Length(); n != 1 {
			t.Errorf("%q %q: %d messages about the start, want the bad half's alone", tt.date, tt.clock, n)
		}
		if hint := doc.Find("#hint-" + field).Text(); !strings.Contains(hint, tt.hint) {
			t.Errorf("%q %q: the format hint is gone: %q", tt.date, tt.clock, hint)
		}
		if described, _ := doc.Find("#" + field).Attr("aria-describedby"); described != "err-starts-at-"+tt.half+" hint-"+field {
			t.Errorf("%q %q: the field is described by %q", tt.date, tt.clock, described)
		}
		if invalid, _ := doc.Find("#" + field).Attr("aria-invalid"); invalid != "true" {
			t.Errorf("%q %q: the bad half is not marked invalid", tt.date, tt.clock)
		}
		date, _ := doc.Find("#starts_at_date").Attr("value")
		clock, _ := doc.Find("#starts_at_time").Attr("value")
		if date != tt.date || clock != tt.clock {
			t.Errorf("%q %q: the fields now hold %q %q", tt.date, tt.clock, date, clock)
		}
		if a.countEvents(t) != before {
			t.Fatalf("%q %q: a refused date wrote an event", tt.date, tt.clock)
		}
	}
	// A value sent whole, as old links do, is shown in the two fields.
	f = a.validEventForm("Refused date")
	f.Set("starts_at", fmt.Sprintf("31/02/%d 14h", next))
	doc := c.post(t, "/manage/cities/agadir/events", f).doc(t)
	date, _ := doc.Find("#starts_at_date").Attr("value")
	clock, _ := doc.Find("#starts_at_time").Attr("value")
	if got := doc.Find("[data-testid=error-starts_at_date]").Text(); date != fmt.Sprintf("31/02/%d", next) || clock != "14h" || !strings.Contains(got, "n’est pas un jour") {
		t.Errorf("a whole value refused shows %q %q, %q", date, clock, got)
	}
}

// TestParticipantsByAgeGroupThroughTheForm records an event's participants
// by age group, sees them on its edit form, and finds them in the age
// group breakdown of the reports, with the participants left out named.
func TestParticipantsByAgeGroupThroughTheForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	form := a.heldEventForm("Intergenerational garden day", 90)
	form["age_groups"] = []string{"children", "older-adults"}
	form.Set("participants_children", "50")
	form.Set("participants_older-adults", "35")
	form.Set("participants_adults", "5") // not ticked: a count means reached
	ctx := context.Background()
	before, err := a.reports.Compute(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusSeeOther)
	p, err := a.store.Events(ctx, models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "garden"}, models.Page{})
	must(t, err)
	e := p.Items[0]
	if e.AgeParticipants[models.AgeChildren] != 50 || e.AgeParticipants[models.AgeAdults] != 5 || e.AgeParticipants[models.AgeOlderAdults] != 35 || len(e.AgeGroups) != 3 {
		t.Fatalf("stored: groups %v, counts %v", e.AgeGroups, e.AgeParticipants)
	}
	edit := c.get(t, fmt.Sprintf("/manage/events/%d/edit", e.ID)).doc(t)
	for field, want := range map[string]string{"participants_children": "50", "participants_adults": "5", "participants_older-adults": "35", "participants_youth": ""} {
		if got, _ := edit.Find("#" + field).Attr("value"); got != want {
			t.Errorf("edit form %s = %q, want %q", field, got, want)
		}
	}
	after, err := a.reports.Compute(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	for i, row := range after.Breakdowns.ByAgeGroup {
		added := *row.Participants - *before.Breakdowns.ByAgeGroup[i].Participants
		if want := int64(e.AgeParticipants[models.AgeGroup(row.Key)]); added != want {
			t.Errorf("%s: the report gained %d participants, want %d", row.Key, added, want)
		}
	}
	page := c.get(t, "/reports?city=agadir").doc(t)
	unrecorded := after.Totals.Participants
	for _, row := range after.Breakdowns.ByAgeGroup {
		unrecorded -= *row.Participants
	}
	note := page.Find("[data-testid=age-unrecorded]")
	if unrecorded > 0 && !strings.Contains(note.Text(), fmt.Sprint(unrecorded)) {
		t.Errorf("the report does not name the %d participants without age groups: %q", unrecorded, note.Text())
	}
	if unrecorded == 0 && note.Length() != 0 {
		t.Errorf("a note on participants without age groups when there are none: %q", note.Text())
	}
}

// TestReportFiltersReadDatesAsTheFormsDo: a report's period typed the
// forms' way, in any digits, is the same period as in ISO.
func TestReportFiltersReadDatesAsTheFormsDo(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	iso := c.get(t, "/api/v1/report?from=2025-01-01&to=2025-12-31")
	wantStatus(t, iso, http.StatusOK)
	for _, q := range []string{"from=1/1/2025&to=31/12/2025", "from=01.01.2025&to=31-12-25", "from=" + url.QueryEscape("١/١/٢٠٢٥") + "&to=2025-12-31"} {
		res := c.get(t, "/api/v1/report?"+q)
		wantStatus(t, res, http.StatusOK)
		if res.body != iso.body {
			t.Errorf("%s: another report than ISO's:\n%s\n%s", q, res.body, iso.body)
		}
	}
	wantStatus(t, c.get(t, "/api/v1/report?from=31/02/2025"), http.StatusBadRequest)
}

// TestEventFormSaysHowItReadTheDate: beside a date typed as people type
// it, the form says in words, on the city's clock, which day it read, so
// that a day and month swapped are seen before the event is saved.
func TestEventFormSaysHowItReadTheDate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	c.setCookie("ltl_lang", "fr")
	f := a.validEventForm("")
	f.Set("starts_at", "9/12/2030 14h")
	res := c.post(t, "/manage/cities/agadir/events", f)
	wantStatus(t, res, http.StatusUnprocessableEntity) // the title is missing
	weekday := []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}[time.Date(2030, 12, 9, 0, 0, 0, 0, time.UTC).Weekday()]
	want := "Nous lisons : " + weekday + " 9 décembre 2030, 14:00 (heure locale, Agadir)."
	if got := res.doc(t).Find("#note-starts_at").Text(); !strings.HasPrefix(got, want) {
		t.Errorf("note %q, want it to start %q", got, want)
	}
	f.Set("starts_at", "31/02/2030 14h")
	if got := c.post(t, "/manage/cities/agadir/events", f).doc(t).Find("#note-starts_at").Text(); strings.Contains(got, "Nous lisons") {
		t.Errorf("a refused date is said to be read: %q", got)
	}
}

// TestReportMonthsReadAsPeopleWriteThem: the report filter's months are
// text fields that read a month typed as people write it, in any of the
// four languages, as the same period as YYYY-MM, and say in words how
// they read it; one they cannot read is refused beside its field, quoted
// with an example in the page's language.
func TestReportMonthsReadAsPeopleWriteThem(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	iso := c.get(t, "/api/v1/report?from=2025-03&to=2025-06")
	wantStatus(t, iso, http.StatusOK)
	for _, q := range [][2]string{{"3/2025", "06.2025"}, {"March 2025", "June 2025"}, {"mars 2025", "juin 2025"}, {"marzo de 2025", "junio 2025"},
		{"مارس ٢٠٢٥", "يونيو 2025"}, {"Mar. 2025", "30/06/2025"}, {"03-2025", "2025-06-30"}} {
		res := c.get(t, "/api/v1/report?from="+url.QueryEscape(q[0])+"&to="+url.QueryEscape(q[1]))
		wantStatus(t, res, http.StatusOK)
		if res.body != iso.body {
			t.Errorf("%q – %q: another report than 2025-03 – 2025-06's", q[0], q[1])
		}
	}

	fr := a.client()
	fr.setCookie("ltl_lang", "fr")
	doc := fr.get(t, "/reports?from="+url.QueryEscape("mars 2025")+"&to=06/2025").doc(t)
	for field, want := range map[string]string{"from": "Nous lisons : mars 2025.", "to": "Nous lisons : juin 2025."} {
		input := doc.Find("#" + field)
		if typ, _ := input.Attr("type"); typ != "text" {
			t.Errorf("%s is a %q field", field, typ)
		}
		if got := doc.Find("[data-testid=note-" + field + "]").Text(); got != want {
			t.Errorf("%s: note %q, want %q", field, got, want)
		}
		if described, _ := input.Attr("aria-describedby"); described != "note-"+field+" month-hint" {
			t.Errorf("%s is described by %q", field, described)
		}
	}
	if got := doc.Find("[data-testid=filter-summary]").Text(); !strings.Contains(got, "mars 2025 – juin 2025") {
		t.Errorf("the filter summary says %q", got)
	}
	if typ, _ := doc.Find("#compare_from").Attr("type"); typ != "text" {
		t.Errorf("compare_from is a %q field", typ)
	}

	for _, tt := range []struct{ lang, query, field, message string }{
		{"en", "from=Marhc+2025", "from", "“Marhc 2025” is not a month we can read. Write month/year or its name, for example 03/2026 or March 2026."},
		{"fr", "from=mars+20255", "from", "« mars 20255 » n’est pas un mois lisible. Écrivez mois/année ou son nom, par exemple 03/2026 ou mars 2026."},
		{"es", "to=13/2025", "to", "«13/2025» no es un mes legible. Escriba mes/año o su nombre, por ejemplo 03/2026 o marzo de 2026."},
		{"ar", "compare_from=2024-13&compare_to=2024-12", "compare_from", "«\u20682024-13\u2069» ليس شهرًا مقروءًا. اكتب الشهر/السنة أو اسم الشهر، مثل 03/2026 أو مارس 2026."},
		{"fr", "from=06/2025&to=03/2025", "to", "« 03/2025 » est avant le début de la période."},
		{"en", "compare_to=2024-01", "compare_from", "This is required."},
	} {
		cl := a.client()
		cl.setCookie("ltl_lang", tt.lang)
		res := cl.get(t, "/reports?"+tt.query)
		wantStatus(t, res, http.StatusBadRequest)
		doc := res.doc(t)
		if got := doc.Find("[data-testid=error-" + tt.field + "]").Text(); got != tt.message {
			t.Errorf("%s %s: %q, want %q", tt.lang, tt.query, got, tt.message)
		}
		input := doc.Find("#" + tt.field)
		if described, _ := input.Attr("aria-describedby"); !strings.HasPrefix(described, errorIDOf(tt.field)+" ") {
			t.Errorf("%s %s: the field is described by %q", tt.lang, tt.query, described)
		}
		if invalid, _ := input.Attr("aria-invalid"); invalid != "true" {
			t.Errorf("%s %s: the field is not marked invalid", tt.lang, tt.query)
		}
		q, _ := url.ParseQuery(tt.query)
		if v, _ := input.Attr("value"); v != q.Get(tt.field) {
			t.Errorf("%s %s: the field holds %q", tt.lang, tt.query, v)
		}
		if doc.Find("[data-testid=error-summary]").Length() != 1 || doc.Find("[data-testid=report-totals]").Length() != 0 {
			t.Errorf("%s %s: want the filter and its problem, without a report", tt.lang, tt.query)
		}
	}
}

// errorIDOf is the id of a field's error message (views.errorID).
func errorIDOf(field string) string { return "err-" + strings.ReplaceAll(field, "_", "-") }
