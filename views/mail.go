package views

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// mailContent is what a mail says, shared by its plain-text and HTML
// bodies.
type mailContent struct {
	Lang, Dir   string
	Subject     string
	Greeting    string
	Paragraphs  []string
	Quote       string
	ActionLabel string
	ActionURL   string
	After       []string
	Footer      string
}

// Mailer writes the tracker's mails in their recipient's language, with
// links to BaseURL (the site's public address, without a trailing slash).
type Mailer struct {
	Catalog *Catalog
	BaseURL string
}

// ctx is a context that translates into lang ("" or unknown: English).
func (m Mailer) ctx(lang string) context.Context {
	tag := m.Catalog.Match(lang)
	return m.Catalog.WithRequest(context.Background(), Request{Lang: tag})
}

// build renders c into a mail to the address to.
func (m Mailer) build(ctx context.Context, to string, kind models.MailKind, c mailContent) (models.Mail, error) {
	c.Lang = req(ctx).Lang.String()
	c.Dir = Dir(ctx)
	c.Footer = T(ctx, "mail.footer")
	var html strings.Builder
	if err := mailHTML(c).Render(templ.WithChildren(ctx, nil), &html); err != nil {
		return models.Mail{}, fmt.Errorf("render %s mail: %w", kind, err)
	}
	var text strings.Builder
	text.WriteString(c.Greeting + "\n\n")
	for _, p := range c.Paragraphs {
		text.WriteString(p + "\n\n")
	}
	if c.Quote != "" {
		for _, line := range strings.Split(c.Quote, "\n") {
			text.WriteString("> " + line + "\n")
		}
		text.WriteString("\n")
	}
	if c.ActionURL != "" {
		text.WriteString(c.ActionLabel + ":\n" + c.ActionURL + "\n\n")
	}
	for _, p := range c.After {
		text.WriteString(p + "\n\n")
	}
	text.WriteString("-- \n" + c.Footer + "\n")
	return models.Mail{To: to, Lang: c.Lang, Kind: kind, Subject: c.Subject, Text: text.String(), HTML: html.String()}, nil
}

// Invitation is the mail that invites u, with the single-use link of token.
// inviter names who invited them; cities are the coordinator's cities.
func (m Mailer) Invitation(u *models.User, token, inviter string, cities []string) (models.Mail, error) {
	ctx := m.ctx(u.MailLanguage)
	role := label(ctx, "role", u.Role)
	c := mailContent{
		Subject:     T(ctx, "mail.invitation.subject"),
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		Paragraphs:  []string{Tf(ctx, "mail.invitation.body", map[string]any{"Inviter": inviter, "Role": role})},
		ActionLabel: T(ctx, "mail.invitation.action"),
		ActionURL:   m.BaseURL + "/invitations/" + token,
		After:       []string{T(ctx, "mail.invitation.expiry")},
	}
	if len(cities) > 0 {
		c.Paragraphs = append(c.Paragraphs, Tf(ctx, "mail.invitation.cities", map[string]any{"Cities": strings.Join(cities, ", ")}))
	}
	return m.build(ctx, u.Email, models.MailInvitation, c)
}

// PasswordReset is the mail with a single-use link to set a new password.
func (m Mailer) PasswordReset(u *models.User, token string) (models.Mail, error) {
	ctx := m.ctx(u.MailLanguage)
	c := mailContent{
		Subject:     T(ctx, "mail.reset.subject"),
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		Paragraphs:  []string{T(ctx, "mail.reset.body")},
		ActionLabel: T(ctx, "mail.reset.action"),
		ActionURL:   m.BaseURL + "/password-reset/" + token,
		After:       []string{T(ctx, "mail.reset.expiry")},
	}
	return m.build(ctx, u.Email, models.MailReset, c)
}

// StoryPublished tells a learner that their story is published, with a
// link to it. It never carries the receipt code: whoever reads the mail
// cannot withdraw the story with it.
func (m Mailer) StoryPublished(to, lang string, st *models.Story, city *models.City) (models.Mail, error) {
	ctx := m.ctx(lang)
	c := mailContent{
		Subject:     T(ctx, "mail.published.subject"),
		Greeting:    T(ctx, "mail.published.greeting"),
		Paragraphs:  []string{Tf(ctx, "mail.published.body", map[string]any{"Title": st.Title, "City": city.Name})},
		ActionLabel: T(ctx, "mail.published.action"),
		ActionURL:   m.BaseURL + "/stories/" + uitoa(st.ID),
		After:       []string{T(ctx, "mail.published.why")},
	}
	return m.build(ctx, to, models.MailPublished, c)
}

// StoryRejected tells a learner that their story was not published,
// quoting the moderators' reason, and that they may edit it and send it
// again on the status page with their receipt code. Like the published
// mail, it never carries the code, nor the story's words.
func (m Mailer) StoryRejected(to, lang string, st *models.Story, city *models.City) (models.Mail, error) {
	ctx := m.ctx(lang)
	c := mailContent{
		Subject:     T(ctx, "mail.rejected.subject"),
		Greeting:    T(ctx, "mail.published.greeting"),
		Paragraphs:  []string{Tf(ctx, "mail.rejected.body", map[string]any{"City": city.Name})},
		Quote:       st.RejectReason,
		ActionLabel: T(ctx, "mail.rejected.action"),
		ActionURL:   m.BaseURL + "/stories/status",
		After:       []string{T(ctx, "mail.rejected.how")},
	}
	return m.build(ctx, to, models.MailRejected, c)
}

// ReportReviewed tells a coordinator that staff approved their city's
// report or asked for changes, quoting the staff's comment.
func (m Mailer) ReportReviewed(u *models.User, r *models.CityReport, city *models.City, approved bool, comment string) (models.Mail, error) {
	ctx := m.ctx(u.MailLanguage)
	data := map[string]any{"City": Isolate(ctx, city.Name), "Period": PeriodLabel(ctx, r.Period())}
	c := mailContent{
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		Quote:       comment,
		ActionURL:   m.BaseURL + CityReportURL(r.ID),
		ActionLabel: T(ctx, "mail.reviewed.action"),
		After:       []string{T(ctx, "mail.preferences")},
	}
	if approved {
		c.Subject = Tf(ctx, "mail.reviewed.approved_subject", data)
		c.Paragraphs = []string{Tf(ctx, "mail.reviewed.approved", data)}
	} else {
		c.Subject = Tf(ctx, "mail.reviewed.changes_subject", data)
		c.Paragraphs = []string{Tf(ctx, "mail.reviewed.changes", data)}
	}
	return m.build(ctx, u.Email, models.MailReviewed, c)
}

// StoryDigest tells a coordinator how many stories wait in each of their
// cities, with a link to each city's moderation queue.
func (m Mailer) StoryDigest(u *models.User, waiting []models.CityCount) (models.Mail, error) {
	ctx := m.ctx(u.MailLanguage)
	total := 0
	var lines []string
	for _, w := range waiting {
		total += w.N
		lines = append(lines, Tf(ctx, "format.pair", map[string]any{"Label": w.Name, "Value": Tn(ctx, "mail.digest.stories_n", w.N)})+" — "+m.BaseURL+"/manage/stories?city="+w.Slug)
	}
	c := mailContent{
		Subject:     Tn(ctx, "mail.digest.stories_subject", total),
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		Paragraphs:  append([]string{T(ctx, "mail.digest.stories_body")}, lines...),
		ActionLabel: T(ctx, "mail.digest.stories_action"),
		ActionURL:   m.BaseURL + "/manage/stories",
		After:       []string{T(ctx, "mail.preferences")},
	}
	return m.build(ctx, u.Email, models.MailDigest, c)
}

// ReviewDigest tells staff which city reports wait for their review.
func (m Mailer) ReviewDigest(u *models.User, waiting []models.CityReportRef) (models.Mail, error) {
	ctx := m.ctx(u.MailLanguage)
	var lines []string
	for _, r := range waiting {
		lines = append(lines, r.City+", "+PeriodLabel(ctx, r.Period)+" — "+m.BaseURL+CityReportURL(r.ID))
	}
	c := mailContent{
		Subject:     Tn(ctx, "mail.digest.reviews_subject", len(waiting)),
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		Paragraphs:  append([]string{T(ctx, "mail.digest.reviews_body")}, lines...),
		ActionLabel: T(ctx, "mail.digest.reviews_action"),
		ActionURL:   m.BaseURL + "/manage/city-reports/network",
		After:       []string{T(ctx, "mail.preferences")},
	}
	return m.build(ctx, u.Email, models.MailDigest, c)
}

// ReportReminder tells a coordinator their city's report for p is due on
// due, or late; the link opens the report, or the list to start it.
func (m Mailer) ReportReminder(u *models.User, city *models.City, p models.Period, due time.Time, late bool, r *models.CityReport) (models.Mail, error) {
	ctx := m.ctx(u.MailLanguage)
	data := map[string]any{"City": Isolate(ctx, city.Name), "Period": PeriodLabel(ctx, p), "Due": Date(ctx, due)}
	link := m.BaseURL + "/manage/city-reports"
	if r != nil {
		link = m.BaseURL + CityReportURL(r.ID)
	}
	c := mailContent{
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		ActionLabel: T(ctx, "mail.reviewed.action"),
		ActionURL:   link,
		After:       []string{T(ctx, "mail.preferences")},
	}
	if late {
		c.Subject = Tf(ctx, "mail.reminder.late_subject", data)
		c.Paragraphs = []string{Tf(ctx, "mail.reminder.late", data)}
	} else {
		c.Subject = Tf(ctx, "mail.reminder.due_subject", data)
		c.Paragraphs = []string{Tf(ctx, "mail.reminder.due", data)}
	}
	return m.build(ctx, u.Email, models.MailReminder, c)
}

// StaffReminder is the reminder staff send from "who has reported": the
// due or late reminder when the period has a due day, else one without a
// date.
func (m Mailer) StaffReminder(u *models.User, city *models.City, p models.Period, due *time.Time, late bool, r *models.CityReport) (models.Mail, error) {
	if due != nil {
		return m.ReportReminder(u, city, p, *due, late, r)
	}
	ctx := m.ctx(u.MailLanguage)
	data := map[string]any{"City": Isolate(ctx, city.Name), "Period": PeriodLabel(ctx, p)}
	link := m.BaseURL + "/manage/city-reports"
	if r != nil {
		link = m.BaseURL + CityReportURL(r.ID)
	}
	c := mailContent{
		Subject:     Tf(ctx, "mail.reminder.open_subject", data),
		Greeting:    Tf(ctx, "mail.greeting", map[string]any{"Name": u.Name}),
		Paragraphs:  []string{Tf(ctx, "mail.reminder.open", data)},
		ActionLabel: T(ctx, "mail.reviewed.action"),
		ActionURL:   link,
	}
	return m.build(ctx, u.Email, models.MailReminder, c)
}
