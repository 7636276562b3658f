package views

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// AuditPage is the data of the audit log.
type AuditPage struct {
	Entries   models.Paged[models.AuditEntry]
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

// actorName names who made a change: a user's email, or the translated
// name of a system actor (the command line, a learner…).
func actorName(ctx context.Context, email string) string {
	if slices.Contains(models.SystemActors(), email) {
		return T(ctx, "audit.actor."+strings.ReplaceAll(email, " ", "_"))
	}
	return email
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
