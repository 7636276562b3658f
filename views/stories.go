package views

import (
	"context"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// StoryForm is what a learner's story form posts. Website is a honeypot:
// hidden from people, filled in only by bots.
type StoryForm struct {
	City               string   `form:"city"`
	Title              string   `form:"title"`
	Body               string   `form:"body"`
	DisplayName        string   `form:"display_name"`
	Anonymous          bool     `form:"anonymous"`
	AgeGroup           string   `form:"age_group"`
	Minor              bool     `form:"minor"`
	LearningAreas      []string `form:"learning_areas"`
	PhotoAlt           string   `form:"photo_alt"`
	PublicationConsent bool     `form:"publication_consent"`
	GuardianConsent    bool     `form:"guardian_consent"`
	ContactEmail       string   `form:"contact_email"`
	NotifyPublished    bool     `form:"notify_published"`
	Website            string   `form:"website"`
	Lang               string   `form:"lang"`
	// Campaign is the id of a running campaign; empty means the current one.
	Campaign string `form:"campaign"`
}

// StoryFormPage is the data of the story form.
type StoryFormPage struct {
	Form   StoryForm
	Errors models.FieldErrors
	Cities []models.City
	// Campaigns are the running campaigns; the form offers a choice when
	// there are several.
	Campaigns []models.Campaign
	// HadPhoto is true when a refused form came with a photo, which the
	// browser cannot send back: the learner must choose it again.
	HadPhoto bool
	// Limited is true when the client sent too many stories lately.
	Limited bool
}

// StoryStatusPage is what a learner sees with their receipt code.
type StoryStatusPage struct {
	Story *models.Story
	City  *models.City
	Code  string
	// NotEditable: the learner asked to edit a story that cannot be edited
	// (pending or published), and the page says why.
	NotEditable bool
	// Resubmitted: the learner has just sent the story again.
	Resubmitted bool
}

// ResubmitPage is the learner's form to edit a story that was sent back
// and send it again.
type ResubmitPage struct {
	Story  *models.Story
	City   *models.City
	Code   string
	Edit   models.StoryEdit
	Errors models.FieldErrors
	// Limited is true when the client sent too many stories lately.
	Limited bool
}

// StoryCard is a published story with its city, for lists.
type StoryCard struct {
	Story    models.Story
	CityName string
	CitySlug string
}

// StoryPage is the data of a published story's own page.
type StoryPage struct {
	Story *models.Story
	City  *models.City
	// BaseURL is the site's public address, for the page's absolute
	// address and photo in link previews.
	BaseURL string
}

// storyMeta describes a published story for search engines and link
// previews: its opening words, its address and, while it is published,
// its photo.
func storyMeta(ctx context.Context, p StoryPage) Meta {
	m := Meta{Description: excerpt(p.Story.Body, 160), URL: p.BaseURL + storyURL(p.Story.ID), Lang: p.Story.Lang}
	if p.Story.Status == models.StoryPublished && p.Story.HasPhoto() {
		m.Image, m.ImageAlt = m.URL+"/photo", photoAlt(ctx, p.Story)
	}
	return m
}

// ModerationPage is the data of the moderation queue.
type ModerationPage struct {
	Stories models.Paged[models.Story]
	Status  string
	City    string
	Cities  []models.City
	Backlog map[uint]int64
	Names   map[uint]string
	Query   url.Values
	Now     time.Time
	// BulkError says why a bulk publication was refused; Selected are the
	// stories that were ticked, ticked again.
	BulkError string
	Selected  map[uint]bool
}

// Bulk reports whether the list offers publishing several stories at
// once: the queue of pending stories.
func (p ModerationPage) Bulk() bool {
	return p.Status == string(models.StoryPending) && len(p.Stories.Items) > 0
}

// ModerateStoryPage is the data of one story under moderation.
type ModerateStoryPage struct {
	Story  *models.Story
	City   *models.City
	Errors models.FieldErrors
	Reason string
	Now    time.Time
	// Revisions are the versions of the story's words that edits replaced,
	// the learner's original first.
	Revisions []models.StoryRevision
	// Edit is the moderator's edit as sent, when it was refused with
	// EditErrors; otherwise the story's words.
	Edit       models.StoryEdit
	EditErrors models.FieldErrors
}

// Original is the learner's words as first sent, when an edit replaced
// them.
func (p ModerateStoryPage) Original() *models.StoryRevision {
	if len(p.Revisions) == 0 {
		return nil
	}
	return &p.Revisions[0]
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
	if d < time.Hour {
		return Tn(ctx, "moderation.waiting_minutes", max(int(d.Minutes()), 1))
	}
	if days < 1 {
		return Tn(ctx, "moderation.waiting_hours", int(d.Hours()))
	}
	return Tn(ctx, "moderation.waiting_days", days)
}

// receiptFile is the receipt as a small text file to keep, as a data: link
// (the code stays on the learner's device; nothing is stored or fetched).
func receiptFile(ctx context.Context, code string) string {
	text := Tf(ctx, "receipt.file", map[string]any{"Code": code})
	return "data:text/plain;charset=utf-8," + url.PathEscape(text)
}

// storyLabels names the story form's fields for its error summary.
func storyLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"city", T(ctx, "story.city")}, {"campaign", T(ctx, "event.campaign")}, {"title", T(ctx, "story.title")}, {"body", T(ctx, "story.body")}, {"lang", T(ctx, "form.content_lang")},
		{"display_name", T(ctx, "story.display_name")}, {"age_group", T(ctx, "story.age_group")}, {"minor", T(ctx, "story.minor")},
		{"learning_areas", T(ctx, "story.learning_areas")}, {"photo", T(ctx, "story.photo")}, {"photo_alt", T(ctx, "story.photo_alt")},
		{"contact_email", T(ctx, "story.contact_email")}, {"publication_consent", T(ctx, "story.consent_legend")},
		{"guardian_consent", T(ctx, "story.consent_legend")},
	}
}

// moderationLabels names the moderation form's fields for its error summary.
func moderationLabels(ctx context.Context) fieldLabels {
	return fieldLabels{{"reason", T(ctx, "moderation.reason")}}
}

// editLabels names the fields of a story's edit for its error summary.
func editLabels(ctx context.Context) fieldLabels {
	return fieldLabels{{"title", T(ctx, "story.title")}, {"body", T(ctx, "story.body")}, {"display_name", T(ctx, "story.display_name")}}
}

// revisionAuthor says who wrote a version of a story's words.
func revisionAuthor(ctx context.Context, a models.RevisionAuthor) string {
	if a == models.RevisionModerator {
		return T(ctx, "moderation.revision_by_moderator")
	}
	return T(ctx, "moderation.revision_by_learner")
}

// receiptGroups writes a receipt code as HTML that a phone breaks between
// its groups, after a hyphen, and never inside one (.receipt-code span).
func receiptGroups(code string) string {
	groups := strings.Split(code, "-")
	for i, g := range groups {
		groups[i] = "<span>" + html.EscapeString(g) + "</span>"
	}
	return strings.Join(groups, "-<wbr>")
}
