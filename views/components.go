package views

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/static"
)

// asset is the address of a static file under its content-hashed name,
// which browsers keep for a year.
func asset(name string) templ.SafeURL { return templ.SafeURL(static.URL(name)) }

// dateAttrs are the attributes of a date field, a text box that shows the
// date the language's way ("25/03/2026") rather than the browser's (a date
// picker shows the browser's locale whatever the page's language).
func dateAttrs() templ.Attributes {
	return templ.Attributes{"autocomplete": "off", "spellcheck": "false", "dir": "ltr", "maxlength": "10", "size": "10"}
}

// dateHalfAttrs are the attributes of the date half of a date and time
// typed in two fields: a date field's, with the keypad of digits and a
// separator on a phone (the comma some languages' keypads give is read).
func dateHalfAttrs() templ.Attributes {
	a := dateAttrs()
	a["inputmode"], a["maxlength"] = "decimal", "16"
	return a
}

// clockAttrs are the attributes of a time of day field. Its keyboard is
// the whole one: 14h and 2:30 pm need letters, and 14:00 a colon, which
// the phones' keypads of digits do not have.
func clockAttrs() templ.Attributes {
	return templ.Attributes{"autocomplete": "off", "spellcheck": "false", "dir": "ltr", "maxlength": "16", "size": "8"}
}

// crumb is one step of a breadcrumb trail.
type crumb struct {
	Href  string
	Label string
}

// isCurrent reports whether href is the current page or a parent of it.
func isCurrent(ctx context.Context, href string) bool {
	p := req(ctx).Path
	// The story form and its follow-ups have their own link, beside the
	// gallery's.
	if href == "/stories" && slices.Contains([]string{"/stories/new", "/stories/thanks", "/stories/status"}, p) {
		return false
	}
	return p == href || (href != "/" && strings.HasPrefix(p, href+"/"))
}

// label translates the label of an enum value: label(ctx, "region", r).
func label[V ~string](ctx context.Context, kind string, v V) string {
	return T(ctx, kind+"."+string(v))
}

// option is one choice of a select or a group of checkboxes; a select
// shows the choices of one Group together, under its label.
type option struct {
	Value string
	Label string
	Group string
}

// optionGroup is a run of a select's choices that share a group.
type optionGroup struct {
	Label   string
	Options []option
}

// groupOptions cuts opts into runs of one Group each, in their order.
func groupOptions(opts []option) []optionGroup {
	var out []optionGroup
	for _, o := range opts {
		if n := len(out); n > 0 && out[n-1].Label == o.Group {
			out[n-1].Options = append(out[n-1].Options, o)
			continue
		}
		out = append(out, optionGroup{Label: o.Group, Options: []option{o}})
	}
	return out
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
	if p.Code == "choose_min" {
		n, _ := strconv.Atoi(p.Param)
		return Tn(ctx, "validation.choose_min", n)
	}
	if p.Code == "time_missing" && p.Param == "" {
		// A time field left empty beside its date: nothing to quote.
		return T(ctx, "validation.time_missing_half")
	}
	return Tf(ctx, "validation."+p.Code, map[string]any{"Param": Isolate(ctx, p.Param)})
}

// fieldLabel names a form's field as the form labels it.
type fieldLabel struct{ Name, Label string }

// fieldLabels names a form's fields in the form's order: the error summary
// lists its problems in that order and says which field each is about.
type fieldLabels []fieldLabel

// summaryFields orders a form's problems: general ones first, then the
// fields' in the form's order, then any the labels do not name.
func summaryFields(errs models.FieldErrors, labels fieldLabels) []string {
	out := make([]string, 0, len(errs))
	if _, ok := errs["_"]; ok {
		out = append(out, "_")
	}
	for _, l := range labels {
		if _, ok := errs[l.Name]; ok && !slices.Contains(out, l.Name) {
			out = append(out, l.Name)
		}
	}
	for _, name := range sortedFields(errs) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// summaryItem is one line of an error summary: "Title: This is required."
// A field the labels do not name gets its message alone.
func summaryItem(ctx context.Context, errs models.FieldErrors, labels fieldLabels, name string) string {
	msg := fieldError(ctx, errs, name)
	for _, l := range labels {
		if l.Name == name {
			return Tf(ctx, "form.error_item", map[string]any{"Field": l.Label, "Message": msg})
		}
	}
	return msg
}

// inZone is t in loc, or in UTC when loc is nil.
func inZone(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t.UTC()
	}
	return t.In(loc)
}

// errorID is the id of the element that describes field's error.
func errorID(field string) string { return "err-" + strings.ReplaceAll(field, "_", "-") }

// describedBy marks an input invalid when it has a problem, and describes
// it by its problem and its hint, in that order.
func describedBy(f field, errs models.FieldErrors) templ.Attributes {
	a := invalidAttrs(errs, f.Name)
	if f.Hint == "" {
		return a
	}
	if ids, ok := a["aria-describedby"].(string); ok {
		a["aria-describedby"] = ids + " hint-" + f.Name
	} else {
		a["aria-describedby"] = "hint-" + f.Name
	}
	return a
}

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

// langOptions lists the interface languages, each named in itself, for
// "the language of this text", and current when it is another.
func langOptions(ctx context.Context, current string) []option {
	out := make([]option, 0, len(req(ctx).langs)+1)
	for _, l := range req(ctx).langs {
		out = append(out, option{Value: l.String(), Label: LangName(l)})
	}
	// A record in another language (Korean, Thai…) keeps it when edited.
	if t, err := language.Parse(current); err == nil && !slices.ContainsFunc(out, func(o option) bool { return o.Value == current }) {
		out = append(out, option{Value: current, Label: LangName(t)})
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
