package views

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/a-h/templ"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// crumb is one step of a breadcrumb trail.
type crumb struct {
	Href  string
	Label string
}

// cityCrumbs leads from the dashboard to a city's management pages.
func cityCrumbs(ctx context.Context, city *models.City, rest ...crumb) []crumb {
	out := []crumb{{Href: "/dashboard", Label: T(ctx, "nav.dashboard")}, {Href: CityManageURL(city), Label: city.Name}}
	return append(out, rest...)
}

// isCurrent reports whether href is the current page or a parent of it.
func isCurrent(ctx context.Context, href string) bool {
	p := req(ctx).Path
	return p == href || (href != "/" && strings.HasPrefix(p, href+"/"))
}

// CityURL is the public page of a city.
func CityURL(c *models.City) string { return "/cities/" + c.Slug }

// CityManageURL is the coordinator's page of a city: its events.
func CityManageURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/events" }

// CityPartnersURL is the coordinator's list of a city's partners.
func CityPartnersURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/partners" }

func eventURL(id uint) string   { return fmt.Sprintf("/manage/events/%d", id) }
func partnerURL(id uint) string { return fmt.Sprintf("/manage/partners/%d", id) }

// label translates the label of an enum value: label(ctx, "region", r).
func label[V ~string](ctx context.Context, kind string, v V) string {
	return T(ctx, kind+"."+string(v))
}

// option is one choice of a select or a group of checkboxes.
type option struct {
	Value string
	Label string
}

// enumOptions lists the values of an enum with their translated labels.
func enumOptions[V ~string](ctx context.Context, kind string, values []V) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: string(v), Label: label(ctx, kind, v)}
	}
	return out
}

// fieldError is the translated message for field's problem, or "".
func fieldError(ctx context.Context, errs models.FieldErrors, field string) string {
	p, ok := errs[field]
	if !ok {
		return ""
	}
	return Tf(ctx, "validation."+p.Code, map[string]any{"Param": p.Param})
}

// errorID is the id of the element that describes field's error.
func errorID(field string) string { return "err-" + strings.ReplaceAll(field, "_", "-") }

// invalidAttrs marks a field invalid and points at its message when it has one.
func invalidAttrs(errs models.FieldErrors, field string) templ.Attributes {
	if _, ok := errs[field]; !ok {
		return templ.Attributes{}
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": errorID(field)}
}

func itoa(n int) string { return strconv.Itoa(n) }

func uitoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// withPage returns the query q with page set to n.
func withPage(path string, q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = append([]string(nil), vs...)
	}
	v.Set("page", strconv.Itoa(n))
	return path + "?" + v.Encode()
}

// contains reports whether v is among vs.
func contains[T comparable](vs []T, v T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func inputType(t string) string {
	if t == "" {
		return "text"
	}
	return t
}

// sortedFields lists the fields with problems in a stable order.
func sortedFields(errs models.FieldErrors) []string {
	out := make([]string, 0, len(errs))
	for f := range errs {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// hasFilters reports whether a list query narrows the list.
func hasFilters(q url.Values) bool {
	for k, vs := range q {
		if k != "page" && k != "sort" && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}

func eventFormTitle(ctx context.Context, p EventFormPage) string {
	if p.EventID == 0 {
		return T(ctx, "events.new")
	}
	return T(ctx, "events.edit")
}

func eventFormAction(p EventFormPage) string {
	if p.EventID == 0 {
		return "/manage/cities/" + p.City.Slug + "/events"
	}
	return eventURL(p.EventID)
}

func campaignOptions(cs []models.Campaign) []option {
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{Value: uitoa(c.ID), Label: hashtag(c.Hashtag)}
	}
	return out
}

func partnerOptions(ps []models.Partner) []option {
	out := make([]option, len(ps))
	for i, p := range ps {
		out[i] = option{Value: uitoa(p.ID), Label: p.Name}
	}
	return out
}

func partnerFormTitle(ctx context.Context, p PartnerFormPage) string {
	if p.PartnerID == 0 {
		return T(ctx, "partners.new")
	}
	return T(ctx, "partners.edit")
}

func partnerFormAction(p PartnerFormPage) string {
	if p.PartnerID == 0 {
		return CityPartnersURL(p.City)
	}
	return partnerURL(p.PartnerID)
}

func cityFormTitle(ctx context.Context, p CityFormPage) string {
	if p.Slug == "" {
		return T(ctx, "manage_cities.new")
	}
	return T(ctx, "manage_cities.edit_title")
}

func cityFormAction(p CityFormPage) string {
	if p.Slug == "" {
		return "/manage/cities"
	}
	return "/manage/cities/" + p.Slug
}

func coordinatorOptions(us []models.User) []option {
	out := make([]option, len(us))
	for i, u := range us {
		out[i] = option{Value: uitoa(u.ID), Label: u.Name + " (" + u.Email + ")"}
	}
	return out
}

// cityOptions lists cities by slug, for the story form.
func cityOptions(cities []models.City) []option {
	out := make([]option, len(cities))
	for i, c := range cities {
		out[i] = option{Value: c.Slug, Label: c.Name}
	}
	return out
}

// citySlugOptions lists cities with their moderation backlog.
func citySlugOptions(cities []models.City, backlog map[uint]int64) []option {
	out := make([]option, len(cities))
	for i, c := range cities {
		l := c.Name
		if n := backlog[c.ID]; n > 0 {
			l += " (" + strconv.FormatInt(n, 10) + ")"
		}
		out[i] = option{Value: c.Slug, Label: l}
	}
	return out
}

func storyURL(id uint) string { return "/stories/" + uitoa(id) }

// ModerateURL is the moderation page of a story.
func ModerateURL(id uint) string { return "/manage/stories/" + uitoa(id) }

// storyTitle is a story's title, or a placeholder once it is erased.
func storyTitle(ctx context.Context, st *models.Story) string {
	switch st.Status {
	case models.StoryWithdrawn:
		return Tf(ctx, "story.withdrawn_title", map[string]any{"ID": st.ID})
	case models.StoryErased:
		return Tf(ctx, "story.erased_title", map[string]any{"ID": st.ID})
	}
	return st.Title
}

// authorLine says who tells the story, as the public may see it.
func authorLine(ctx context.Context, st *models.Story) string {
	name := st.PublicName()
	if name == "" {
		return T(ctx, "story.anonymous_author")
	}
	return Tf(ctx, "story.by", map[string]any{"Name": name})
}

// photoAlt describes a story's photo for screen readers.
func photoAlt(ctx context.Context, st *models.Story) string {
	if st.PhotoAlt != "" {
		return st.PhotoAlt
	}
	return Tf(ctx, "story.photo_default_alt", map[string]any{"Title": st.Title})
}

// excerpt cuts text to about n runes at a word boundary.
func excerpt(text string, n int) string {
	r := []rune(strings.Join(strings.Fields(text), " "))
	if len(r) <= n {
		return string(r)
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// waited says how long a story has waited for a decision.
func waited(ctx context.Context, d time.Duration) string {
	days := int(d.Hours() / 24)
	if days < 1 {
		return Tn(ctx, "moderation.waiting_hours", max(int(d.Hours()), 1))
	}
	return Tn(ctx, "moderation.waiting_days", days)
}

func reportTitle(ctx context.Context, p ReportPage) string {
	if p.City != nil {
		return Tf(ctx, "report.city_title", map[string]any{"City": p.City.Name})
	}
	return T(ctx, "report.title")
}

// withQuery appends a query to a path.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// withParam returns a copy of q with key set to value.
func withParam(q url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	out.Set(key, value)
	return out
}

func campaignTagOptions(cs []models.Campaign) []option {
	out := make([]option, len(cs))
	for i, c := range cs {
		tag := strings.TrimPrefix(c.Hashtag, "#")
		out[i] = option{Value: tag, Label: hashtag(c.Hashtag)}
	}
	return out
}

// countryOptions lists the member cities' countries by name.
func countryOptions(ctx context.Context, cities []models.City) []option {
	seen := map[string]bool{}
	var out []option
	for _, c := range cities {
		if !seen[c.Country] {
			seen[c.Country] = true
			out = append(out, option{Value: c.Country, Label: CountryName(ctx, c.Country)})
		}
	}
	slices.SortFunc(out, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	return out
}

// cohortOptions lists the years cities joined the network.
func cohortOptions(cities []models.City) []option {
	seen := map[int]bool{}
	var years []int
	for _, c := range cities {
		if !seen[c.JoinedYear] {
			seen[c.JoinedYear] = true
			years = append(years, c.JoinedYear)
		}
	}
	slices.Sort(years)
	out := make([]option, len(years))
	for i, y := range years {
		out[i] = option{Value: itoa(y), Label: itoa(y)}
	}
	return out
}

func viewBox(c chart) string { return fmt.Sprintf("0 0 %d %d", c.Width, c.Height) }

// thinAreas names the building blocks with less than half the average
// number of events: where a city or the network is thin.
func thinAreas(rows []models.Row) string {
	var total int64
	for _, r := range rows {
		total += *r.EventsHeld
	}
	if total == 0 || len(rows) == 0 {
		return ""
	}
	var thin []string
	for _, r := range rows {
		if *r.EventsHeld*int64(len(rows))*2 < total {
			thin = append(thin, r.Label)
		}
	}
	return strings.Join(thin, "; ")
}

func ariaSort(desc bool) string {
	if desc {
		return "descending"
	}
	return "ascending"
}

// sortURL links to the report sorted by key, flipping the direction when
// it is already sorted by it.
func sortURL(p ReportPage, key string) string {
	q := withParam(p.Query, "sort", key)
	if key == "" {
		q.Del("sort")
	}
	q.Del("dir")
	if p.Sort == key && !p.Desc || p.Sort != key && key != "" {
		q.Set("dir", "desc")
	}
	return withQuery("/reports", q) + "#by-city"
}

// CityReportURL is the page of a city report.
func CityReportURL(id uint) string { return "/manage/city-reports/" + uitoa(id) }

// PeriodLabel names a report period: "2026", "Q1 2026" or "#LearnThroughLife".
func PeriodLabel(ctx context.Context, p models.Period) string {
	switch p.Kind {
	case "quarter":
		y, q, _ := strings.Cut(p.Key, "-Q")
		return Tf(ctx, "city_reports.quarter", map[string]any{"Q": q, "Year": y})
	case "campaign":
		return hashtag("#" + p.Key)
	}
	return p.Key
}

func periodOptions(ps []PeriodOption) []option {
	out := make([]option, len(ps))
	for i, p := range ps {
		out[i] = option{Value: p.Value, Label: p.Label}
	}
	return out
}

func cityReportTitle(ctx context.Context, p CityReportPage) string {
	return Tf(ctx, "city_reports.report_title", map[string]any{"City": p.City.Name, "Period": PeriodLabel(ctx, p.Report.Period())})
}

type namedFigure struct {
	Name  string
	Value int64
}

// totalsFigures lists the headline figures of a city report.
func totalsFigures(t models.Totals) []namedFigure {
	return []namedFigure{
		{"events_held", t.EventsHeld}, {"participants", t.Participants},
		{"stories_published", t.StoriesPublished}, {"partners_engaged", t.PartnersEngaged},
	}
}

// liveDiff says how much a live figure differs from the frozen one.
func liveDiff(live models.Totals, name string, frozen int64) string {
	for _, f := range totalsFigures(live) {
		if f.Name == name && f.Value != frozen {
			return fmt.Sprintf("%+d", f.Value-frozen)
		}
	}
	return ""
}

// reportOf is the report's figures to chart: frozen, else live.
func reportOf(p CityReportPage) *models.Report {
	if p.Frozen != nil {
		return p.Frozen
	}
	return p.Live
}

// labelledAreas copies the learning-area rows with their names.
func labelledAreas(ctx context.Context, rows []models.Row) []models.Row {
	out := append([]models.Row(nil), rows...)
	for i := range out {
		out[i].Label = T(ctx, "area."+out[i].Key)
	}
	return out
}

// pick is ss[i], or "" past its end.
func pick(ss []string, i int) string {
	if i < len(ss) {
		return ss[i]
	}
	return ""
}

func storyOptions(stories []models.Story) []option {
	out := make([]option, len(stories))
	for i, st := range stories {
		out[i] = option{Value: uitoa(st.ID), Label: st.Title}
	}
	return out
}

func eventOptions(ctx context.Context, events []models.Event) []option {
	out := make([]option, len(events))
	for i, e := range events {
		out[i] = option{Value: uitoa(e.ID), Label: e.Title + " (" + Date(ctx, e.StartsAt) + ")"}
	}
	return out
}

// pickedStories and pickedEvents keep the records whose ids were picked.
func pickedStories(all []models.Story, ids []uint) []models.Story {
	return picked(all, ids, func(st models.Story) uint { return st.ID })
}

func pickedEvents(all []models.Event, ids []uint) []models.Event {
	return picked(all, ids, func(e models.Event) uint { return e.ID })
}

func picked[T any](all []T, ids []uint, id func(T) uint) []T {
	var out []T
	for _, x := range all {
		if contains(ids, id(x)) {
			out = append(out, x)
		}
	}
	return out
}

// reviewErrors shows the review's comment problem beside its field.
func reviewErrors(errs models.FieldErrors) models.FieldErrors {
	if p, ok := errs["comment"]; ok {
		return models.FieldErrors{"review": p}
	}
	return errs
}

// langOptions lists the interface languages, each named in itself, for
// "the language of this text".
func langOptions(ctx context.Context) []option {
	out := make([]option, 0, len(req(ctx).langs))
	for _, l := range req(ctx).langs {
		out = append(out, option{Value: l.String(), Label: LangName(l)})
	}
	return out
}

// contentLang is the language to mark content with: its own, else the page's.
func contentLang(ctx context.Context, lang string) string {
	if lang != "" {
		return lang
	}
	return req(ctx).Lang.String()
}

// hashtag keeps a hashtag left to right inside right-to-left text, where
// its "#" would otherwise land at the wrong end.
func hashtag(s string) string { return "\u2066" + s + "\u2069" }

// periodReportURL is the live report page of a city for a report period.
func periodReportURL(city *models.City, p models.Period) string {
	q := url.Values{"city": {city.Slug}}
	switch p.Kind {
	case "year":
		q.Set("from", p.Key+"-01")
		q.Set("to", p.Key+"-12")
	case "quarter":
		y, qs, _ := strings.Cut(p.Key, "-Q")
		n, _ := strconv.Atoi(qs)
		q.Set("from", fmt.Sprintf("%s-%02d", y, 3*(n-1)+1))
		q.Set("to", fmt.Sprintf("%s-%02d", y, 3*n))
	case "campaign":
		q.Set("campaign", p.Key)
	}
	return "/reports?" + q.Encode()
}
