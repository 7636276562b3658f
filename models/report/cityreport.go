package report

import (
	"context"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// PeriodQuery is the query of a city's report for a period: the city's
// figures over the period's dates, and of its campaign for a campaign
// period.
func (e *Engine) PeriodQuery(ctx context.Context, cityID uint, p models.Period) (Query, error) {
	q := Query{CityID: cityID, From: p.From, To: p.To}
	c, err := e.src.PeriodCampaign(ctx, p)
	if err != nil {
		return q, err
	}
	if c != nil {
		q.CampaignID = c.ID
	}
	return q, nil
}

// CityReport computes the figures of r's city for r's period now.
func (e *Engine) CityReport(ctx context.Context, r *models.CityReport) (*models.Report, error) {
	q, err := e.PeriodQuery(ctx, r.CityID, r.Period())
	if err != nil {
		return nil, err
	}
	return e.Report(ctx, q)
}

// Frozen is the function a city report's submission calls to freeze its
// figures (store.Figures, with S the store): it computes r's figures,
// without the cache, through tx, the transaction that submits r, so that
// they are those of the moment of submission.
func Frozen[S Source](e *Engine, ctx context.Context, r *models.CityReport) func(tx S) (*models.Report, error) {
	return func(tx S) (*models.Report, error) {
		reports := e.With(tx)
		q, err := reports.PeriodQuery(ctx, r.CityID, r.Period())
		if err != nil {
			return nil, err
		}
		return reports.Compute(ctx, q)
	}
}
