package views

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// untranslated finds a message id left as it is.
var untranslated = regexp.MustCompile(`\b(mail|role|notify|period)\.[a-z_.]+`)

// TestMailsInEveryLanguage writes every kind of mail in each language and
// checks that no message id is left untranslated, that the HTML says its
// language and direction, and that both bodies carry the link.
func TestMailsInEveryLanguage(t *testing.T) {
	cat, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	m := Mailer{Catalog: cat, BaseURL: "https://tracker.example.org"}
	city := &models.City{ID: 7, Name: "Essaouira", Slug: "essaouira"}
	report := &models.CityReport{ID: 9}
	due := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, lang := range []string{"en", "fr", "es", "ar"} {
		u := &models.User{Name: "Nadia", Email: "nadia@example.org", Role: models.RoleCoordinator, Language: lang, MailLanguage: lang}
		mails := map[string]func() (models.Mail, error){
			"invitation": func() (models.Mail, error) { return m.Invitation(u, "tok", "Staff", []string{"Essaouira"}) },
			"reset":      func() (models.Mail, error) { return m.PasswordReset(u, "tok") },
			"published": func() (models.Mail, error) {
				return m.StoryPublished("learner@example.org", lang, &models.Story{ID: 3, Title: "My story"}, city)
			},
			"approved": func() (models.Mail, error) { return m.ReportReviewed(u, report, city, true, "") },
			"changes":  func() (models.Mail, error) { return m.ReportReviewed(u, report, city, false, "Add figures") },
			"stories": func() (models.Mail, error) {
				return m.StoryDigest(u, []models.CityCount{{CityID: 7, Name: "Essaouira", Slug: "essaouira", N: 3}})
			},
			"reviews": func() (models.Mail, error) {
				return m.ReviewDigest(u, []models.CityReportRef{{ID: 9, City: "Essaouira"}})
			},
			"due": func() (models.Mail, error) {
				return m.ReportReminder(u, city, models.YearPeriod(2025), due, false, report)
			},
			"late": func() (models.Mail, error) { return m.ReportReminder(u, city, models.YearPeriod(2025), due, true, nil) },
		}
		for name, write := range mails {
			mail, err := write()
			if err != nil {
				t.Fatalf("%s %s: %v", lang, name, err)
			}
			if mail.Lang != lang {
				t.Errorf("%s %s: written in %q", lang, name, mail.Lang)
			}
			// Isolates only inside right-to-left text: some clients show
			// them as boxes, and a left-to-right subject needs none.
			if isolates := strings.ContainsAny(mail.Subject, "\u2068\u2069"); isolates != (lang == "ar" && strings.Contains(mail.Subject, "Essaouira")) {
				t.Errorf("%s %s: subject %q has isolates: %v", lang, name, mail.Subject, isolates)
			}
			for part, text := range map[string]string{"subject": mail.Subject, "text": mail.Text, "html": mail.HTML} {
				if id := untranslated.FindString(text); id != "" {
					t.Errorf("%s %s: %s has the untranslated id %s:\n%s", lang, name, part, id, text)
				}
			}
			if !strings.Contains(mail.Text, "https://tracker.example.org/") || !strings.Contains(mail.HTML, `href="https://tracker.example.org/`) {
				t.Errorf("%s %s: no link in both bodies", lang, name)
			}
			wantDir := "ltr"
			if lang == "ar" {
				wantDir = "rtl"
			}
			if !strings.Contains(mail.HTML, `lang="`+lang+`" dir="`+wantDir+`"`) {
				t.Errorf("%s %s: the HTML does not say its language and direction", lang, name)
			}
		}
	}
}
