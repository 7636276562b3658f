package views

import (
	"context"
	"strings"
)

// Meta is what a page says about itself to search engines and, when it
// can be shared, to link previews (Open Graph, Twitter cards).
type Meta struct {
	// Description is the page's summary; "" is the site's.
	Description string
	// URL is the page's absolute public address; set only on pages meant
	// to be shared, which then get Open Graph and Twitter card tags.
	URL string
	// Image is the absolute address of the page's photo ("" for none),
	// ImageAlt its description.
	Image, ImageAlt string
	// Lang is the language of the page's content ("" the interface's).
	Lang string
	// Refresh, when above 0, reloads the page every so many seconds: a
	// page that follows work under way, without JavaScript.
	Refresh int
}

// description is the page's description, or the site's.
func description(ctx context.Context, m Meta) string {
	if m.Description != "" {
		return m.Description
	}
	return T(ctx, "meta.default")
}

// ogLocale is a language tag the way Open Graph writes locales (fr_FR
// style: an underscore; a bare language is allowed).
func ogLocale(lang string) string {
	return strings.ReplaceAll(lang, "-", "_")
}

// navEntry is one link of the workspace navigation.
type navEntry struct{ Href, Label string }

// navGroup is a group of staff's pages in the workspace navigation.
type navGroup struct {
	ID, Label string
	Entries   []navEntry
}

// workspaceEntries are the workspace pages of every signed-in user.
func workspaceEntries(ctx context.Context) []navEntry {
	return []navEntry{
		{"/dashboard", T(ctx, "nav.home")},
		{"/manage/stories", T(ctx, "nav.moderation")},
		{"/manage/city-reports", T(ctx, "nav.city_reports")},
	}
}

// staffGroups are staff's own pages, grouped: the network's settings, and
// the people who use the tracker.
func staffGroups(ctx context.Context) []navGroup {
	return []navGroup{
		{ID: "network", Label: T(ctx, "nav.group_network"), Entries: []navEntry{
			{"/manage/cities", T(ctx, "nav.manage_cities")},
			{"/manage/cohort-import", T(ctx, "cohort.link")},
			{"/manage/campaigns", T(ctx, "nav.manage_campaigns")},
			{"/manage/global-days", T(ctx, "nav.global_days")},
			{"/manage/document-introduction", T(ctx, "annual.doc_intro_title")},
		}},
		{ID: "admin", Label: T(ctx, "nav.group_admin"), Entries: []navEntry{
			{"/manage/users", T(ctx, "nav.people")},
			{"/manage/outbox", T(ctx, "nav.outbox")},
			{"/manage/audit", T(ctx, "nav.audit")},
		}},
	}
}

// groupCurrent reports whether the page is one of the group's.
func groupCurrent(ctx context.Context, g navGroup) bool {
	for _, e := range g.Entries {
		if isCurrent(ctx, e.Href) {
			return true
		}
	}
	return false
}

// inWorkspace reports whether the page is one of a signed-in user's own:
// the dashboard, the managing pages and the account's.
func inWorkspace(ctx context.Context) bool {
	r := req(ctx)
	if r.User == nil {
		return false
	}
	p := r.Path
	return p == "/dashboard" || p == "/manage" || strings.HasPrefix(p, "/manage/") || p == "/account" || strings.HasPrefix(p, "/account/")
}
