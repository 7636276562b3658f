package views

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// AuditPage is the data of the audit log.
type AuditPage struct {
	Entries   models.Paged[models.AuditEntry]
	Names     models.AuditNames
	CityNames map[uint]string
	Cities    []models.City
	// Query holds the filters, kept in the URL.
	Query url.Values
}

// auditActionOptions offers every action the log records, named.
func auditActionOptions(ctx context.Context) []option {
	var out []option
	for _, a := range models.AuditActions() {
		out = append(out, option{Value: string(a), Label: T(ctx, "audit.action."+string(a))})
	}
	return out
}

// actorName names who made a change: a person by their account's name
// (by the email of an entry whose account is gone), or a system actor
// (the command line, a learner…) in words.
func actorName(ctx context.Context, a models.AuditEntry, names models.AuditNames) string {
	if slices.Contains(models.SystemActors(), a.UserEmail) {
		return T(ctx, "audit.actor."+strings.ReplaceAll(a.UserEmail, " ", "_"))
	}
	if a.UserID != nil {
		if name, ok := names.People[*a.UserID]; ok && name != "" {
			return isolated(name)
		}
	}
	return isolated(a.UserEmail)
}

// isolated wraps a name that people typed in a direction isolate, so that
// an Arabic title keeps its order in an English sentence and the other
// way round.
func isolated(s string) string { return "\u2068" + s + "\u2069" }

// recordName names an entry's record: its title or name now; a story
// withdrawn or erased since by its number; a record deleted since by
// what the entry kept; a city report by its period.
func recordName(ctx context.Context, a models.AuditEntry, names models.AuditNames) string {
	if name, ok := names.Record(a.Entity, a.EntityID); ok {
		if name == "" {
			return Tf(ctx, "story.erased_title", map[string]any{"ID": a.EntityID})
		}
		return isolated(name)
	}
	if a.Entity == models.EntityStory {
		// Its entries keep what changed ("status: published"), not its title.
		return Tf(ctx, "story.erased_title", map[string]any{"ID": a.EntityID})
	}
	return isolated(auditSummary(ctx, a))
}

// activityLine is a line of the activity feed: one entry, or a run of
// entries alike (the same person doing the same to several records of a
// city within a few minutes) told as one, or an import standing for the
// rows of its file.
type activityLine struct {
	Entry models.AuditEntry // the newest of the run
	Text  string
}

// runGap is how far apart two alike entries may be to be told as one run.
const runGap = 10 * time.Minute

// activityLines tells entries (newest first) as at most max lines.
func activityLines(ctx context.Context, entries []models.AuditEntry, names models.AuditNames, max int) []activityLine {
	var out []activityLine
	for i := 0; i < len(entries) && len(out) < max; {
		a := entries[i]
		j := i + 1
		for j < len(entries) && alike(entries[j-1], entries[j]) {
			j++
		}
		out = append(out, activityLine{Entry: a, Text: activityText(ctx, entries[i:j], names)})
		i = j
	}
	return out
}

// alike reports whether b, the entry before a, belongs to a's run.
func alike(a, b models.AuditEntry) bool {
	sameCity := (a.CityID == nil) == (b.CityID == nil) && (a.CityID == nil || *a.CityID == *b.CityID)
	return a.Action != models.AuditImport && a.UserEmail == b.UserEmail && a.Action == b.Action && a.Entity == b.Entity &&
		sameCity && a.CreatedAt.Sub(b.CreatedAt) <= runGap
}

// activityText tells a run of alike entries.
func activityText(ctx context.Context, run []models.AuditEntry, names models.AuditNames) string {
	a := run[0]
	who := actorName(ctx, a, names)
	if a.Action == models.AuditImport {
		if creates, updates, file, ok := models.ParseImportSummary(a.Summary); ok {
			return Tnf(ctx, "activity.import."+string(a.Entity), creates+updates, map[string]any{
				"Who": who, "File": isolated(file), "New": Tn(ctx, "activity.new", creates), "Changed": Tn(ctx, "activity.changed", updates),
			})
		}
	}
	action := T(ctx, "audit.action."+string(a.Action))
	var records []models.AuditEntry // one entry a record, newest first
	seen := map[uint]bool{}
	for _, e := range run {
		if !seen[e.EntityID] {
			records = append(records, e)
		}
		seen[e.EntityID] = true
	}
	if len(records) == 1 {
		return Tf(ctx, "audit.line", map[string]any{"Who": who, "Action": action, "Entity": T(ctx, "audit.entity."+string(a.Entity)), "Summary": recordName(ctx, a, names)})
	}
	const shown = 3
	var titles []string
	for _, e := range records[:min(shown, len(records))] {
		titles = append(titles, Tf(ctx, "activity.quoted", map[string]any{"Name": recordName(ctx, e, names)}))
	}
	list := strings.Join(titles, T(ctx, "activity.comma"))
	if more := len(records) - len(titles); more > 0 {
		list += Tn(ctx, "activity.more", more)
	}
	return Tf(ctx, "activity.run", map[string]any{"Who": who, "Action": action, "Records": Tn(ctx, "activity.count."+string(a.Entity), len(records)), "Names": list})
}

// auditSummary is an entry's summary, with a city report's period named
// in the page's language ("year:2026", or "year 2026" in older entries).
func auditSummary(ctx context.Context, a models.AuditEntry) string {
	if a.Entity == models.EntityCityReport {
		if p, err := models.ParsePeriod(strings.Replace(a.Summary, " ", ":", 1)); err == nil {
			return PeriodLabel(ctx, p)
		}
	}
	return a.Summary
}

// auditRecord names an entry's record in the audit log: an import by its
// file and counts; a sign-in attempt by the account's email and the
// address it came from, as the entry keeps them (the log is where staff
// trace an attack); any other as recordName does.
func auditRecord(ctx context.Context, a models.AuditEntry, names models.AuditNames) string {
	switch {
	case a.Action == models.AuditImport:
		if creates, updates, file, ok := models.ParseImportSummary(a.Summary); ok {
			return isolated(file) + " (" + Tn(ctx, "activity.new", creates) + T(ctx, "activity.comma") + Tn(ctx, "activity.changed", updates) + ")"
		}
	case slices.Contains(models.SignInActions(), a.Action) || a.Action == models.AuditRecoveryCode:
		return isolated(a.Summary)
	}
	return recordName(ctx, a, names)
}

// recordKind is the kind of an entry's record and its number: "event #12".
func recordKind(ctx context.Context, a models.AuditEntry) string {
	kind := T(ctx, "audit.entity."+string(a.Entity))
	if a.EntityID == 0 {
		return kind
	}
	return kind + " #" + uitoa(a.EntityID)
}
