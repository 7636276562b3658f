package store

import (
	"context"
	"fmt"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// DocumentIntros are the introduction's texts of the network document of
// a period (its first and last days, "" for an open end), by language.
func (s *Store) DocumentIntros(ctx context.Context, fromDay, toDay string) (map[string]string, error) {
	var rows []models.DocumentIntro
	if err := s.db.WithContext(ctx).Where("from_day = ? AND to_day = ?", fromDay, toDay).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.Lang] = r.Body
	}
	return out, nil
}

// SaveDocumentIntros makes texts (by language; an empty text removes
// that language's) the introduction of the period's document, and audits
// each language changed. Texts that do not validate are refused with
// FieldErrors, and nothing is written.
func (s *Store) SaveDocumentIntros(ctx context.Context, actor models.Actor, fromDay, toDay string, texts map[string]string, now time.Time) error {
	texts, err := models.ValidateIntroTexts(texts)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		for _, lang := range models.CampaignLanguages() {
			text, given := texts[lang]
			if !given {
				continue
			}
			var old models.DocumentIntro
			res := tx.db.Where("from_day = ? AND to_day = ? AND lang = ?", fromDay, toDay, lang).Limit(1).Find(&old)
			if res.Error != nil {
				return res.Error
			}
			exists := res.RowsAffected > 0
			summary := fmt.Sprintf("%s – %s (%s)", fromDay, toDay, lang)
			switch {
			case exists && text == old.Body, !exists && text == "":
				continue
			case text == "":
				if err := tx.db.Delete(&models.DocumentIntro{}, old.ID).Error; err != nil {
					return err
				}
				if err := tx.audit(actor, models.AuditDelete, models.EntityDocumentIntro, old.ID, nil, summary); err != nil {
					return err
				}
			case exists:
				if err := tx.db.Model(&models.DocumentIntro{ID: old.ID}).Updates(map[string]any{"body": text, "updated_at": now.UTC()}).Error; err != nil {
					return err
				}
				if err := tx.audit(actor, models.AuditUpdate, models.EntityDocumentIntro, old.ID, nil, summary); err != nil {
					return err
				}
			default:
				row := models.DocumentIntro{FromDay: fromDay, ToDay: toDay, Lang: lang, Body: text, UpdatedAt: now.UTC()}
				if err := tx.db.Create(&row).Error; err != nil {
					return translate(err)
				}
				if err := tx.audit(actor, models.AuditCreate, models.EntityDocumentIntro, row.ID, nil, summary); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
