package views

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// UsersPage is the staff's list of accounts with its filters.
type UsersPage struct {
	Users     []models.User
	Cities    []models.City
	CityNames map[uint]string
	Query     string
	Role      string
	City      string
	Status    string
}

// InviteForm is the invitation form as posted.
type InviteForm struct {
	Name     string   `form:"name"`
	Email    string   `form:"email"`
	Role     string   `form:"role"`
	Cities   []string `form:"cities"`
	Language string   `form:"language"`
}

// InvitePage is the invitation form with its choices and errors.
type InvitePage struct {
	Form      InviteForm
	Cities    []models.City
	Languages []language.Tag
	Errors    models.FieldErrors
}

// UserPage is one account for staff: its facts and actions.
type UserPage struct {
	User     *models.User
	Cities   []models.City
	Selected []string
	Errors   models.FieldErrors
	// InvitationExpires is when an invited person's link stops working
	// (nil: no open link); Now tells whether it has.
	InvitationExpires *time.Time
	Now               time.Time
	// NewLink is the invitation link staff just made, shown this once.
	NewLink string
}

// OutboxPage lists the outbox for staff.
type OutboxPage struct {
	Messages []models.OutboxMessage
	To       string
	Status   string
	ToFiles  bool
	Limit    int
}

// OutboxMessagePage is one mail of the outbox. Masked hides the paths of
// its links (another person's single-use link).
type OutboxMessagePage struct {
	Message *models.OutboxMessage
	ToFiles bool
	Masked  bool
}

// SetPasswordPage is the form to choose a password on a single-use link.
type SetPasswordPage struct {
	Purpose string
	Action  string
	User    *models.User
	Errors  models.FieldErrors
}

// UserURL is the staff's page of an account.
func UserURL(u *models.User) string { return "/manage/users/" + strconv.FormatUint(uint64(u.ID), 10) }

// OutboxURL is the staff's page of a mail.
func OutboxURL(m *models.OutboxMessage) string {
	return "/manage/outbox/" + strconv.FormatUint(uint64(m.ID), 10)
}

func languageOptions(tags []language.Tag) []option {
	out := make([]option, len(tags))
	for i, t := range tags {
		out[i] = option{Value: t.String(), Label: LangName(t)}
	}
	return out
}

// mailLangOf is the language u's mails are written in, English when
// they have none.
func mailLangOf(u *models.User) string {
	if l := u.MailLanguage; l != "" {
		return l
	}
	return "en"
}

func userCityNames(u models.User, names map[uint]string) string {
	out := make([]string, 0, len(u.CityIDs))
	for _, id := range u.CityIDs {
		out = append(out, names[id])
	}
	return strings.Join(out, ", ")
}

func inviteLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"name", T(ctx, "people.name")}, {"email", T(ctx, "people.email")}, {"role", T(ctx, "people.role")},
		{"cities", T(ctx, "people.cities")}, {"language", T(ctx, "people.language")},
	}
}

func passwordLabels(ctx context.Context) fieldLabels {
	return fieldLabels{{"password", T(ctx, "password.new")}, {"confirm", T(ctx, "password.confirm")}}
}

// mailLinks splits a mail's text into plain runs and the links to this
// site, so that the outbox page can make those clickable.
func mailLinks(text string) []mailRun {
	var out []mailRun
	for text != "" {
		i := strings.Index(text, "http")
		if i < 0 {
			out = append(out, mailRun{Text: text})
			break
		}
		end := i + strings.IndexAny(text[i:]+"\n", " \n\t")
		if i > 0 {
			out = append(out, mailRun{Text: text[:i]})
		}
		link := text[i:end]
		if strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://") {
			out = append(out, mailRun{Text: link, Link: true})
		} else {
			out = append(out, mailRun{Text: link})
		}
		text = text[end:]
	}
	return out
}

// maskedLink is link with all of its path but the first segment hidden:
// https://host/invitations/… tells what the link was for, not the token.
func maskedLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return "…"
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	return u.Scheme + "://" + u.Host + "/" + first + "/…"
}

type mailRun struct {
	Text string
	Link bool
}

// langTag is the language named by code, English when none.
func langTag(code string) language.Tag {
	if t, err := language.Parse(code); err == nil {
		return t
	}
	return language.English
}

// outboxQuery is the outbox page's filters as a query.
func outboxQuery(p OutboxPage) map[string][]string {
	q := map[string][]string{}
	if p.To != "" {
		q["to"] = []string{p.To}
	}
	if p.Status != "" {
		q["status"] = []string{p.Status}
	}
	return q
}

// forgotURL is the reset request page, with the address already typed.
func forgotURL(email string) string {
	if email == "" {
		return "/password-reset"
	}
	return "/password-reset?email=" + url.QueryEscape(email)
}

// TwoFactorQRPath serves the QR code of the secret being set up, as a
// PNG: templ refuses a data: URL in an <img>.
const TwoFactorQRPath = "/account/two-factor/qr.png"

// TwoFactorPage is staff's two-factor sign-in: how to turn it on, or
// that it is on.
type TwoFactorPage struct {
	On        bool
	Required  bool
	CodesLeft int
	// Secret sets up a new app, typed or as the QR code of its otpauth://
	// URL, which the page loads from TwoFactorQRPath.
	Secret string
	Errors models.FieldErrors
}

// recoveryCodesFile is a text file of the recovery codes, as a data URL
// that the page's download link saves: the codes are shown once, and
// never leave the page for a second request.
func recoveryCodesFile(ctx context.Context, codes []string) templ.SafeURL {
	text := T(ctx, "two_factor.codes_title") + "\n" + T(ctx, "two_factor.codes_intro") + "\n\n" + strings.Join(codes, "\n") + "\n"
	return templ.SafeURL("data:text/plain;charset=utf-8," + url.PathEscape(text))
}
