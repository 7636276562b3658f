package views

import "github.com/unesco-gnlc/learnthroughlife/models"

// AuditPage is the data of the audit log.
type AuditPage struct {
	Entries   models.Paged[models.AuditEntry]
	CityNames map[uint]string
}
