package handlers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// hrefs are the addresses of the links in sel, in order.
func hrefs(sel *goquery.Selection) []string {
	var out []string
	sel.Find("a[href]").Each(func(_ int, a *goquery.Selection) { out = append(out, a.AttrOr("href", "")) })
	return out
}

// TestWorkspaceNav: the header holds the public links, the user's
// workspace link and the account menu; the workspace bar, on the
// workspace's pages only, holds every page of the user's role once, each
// answering, and no page of another role.
func TestWorkspaceNav(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	public := []string{"/cities", "/stories", "/stories/new", "/calendar", "/reports"}
	everyone := []string{"/dashboard", "/manage/stories", "/manage/city-reports"}
	staffOnly := []string{"/manage/cities", "/manage/cohort-import", "/manage/campaigns", "/manage/global-days", "/manage/document-introduction", "/manage/users", "/manage/outbox", "/manage/audit"}
	for _, tt := range []struct {
		email string
		want  []string
	}{
		{"staff@example.org", append(slices.Clone(everyone), staffOnly...)},
		{"agadir@example.org", everyone},
	} {
		c := a.loggedIn(t, tt.email)
		doc := c.get(t, "/dashboard").doc(t)
		header := doc.Find(`header nav[aria-label="Main"]`)
		wantHeader := append(append([]string{"/"}, public...), "/dashboard", "/account")
		if got := hrefs(header); !slices.Equal(got, wantHeader) {
			t.Errorf("%s: header links %v, want %v", tt.email, got, wantHeader)
		}
		if header.Find(`[data-testid=workspace-link]`).Parent().Closest("details").Length() != 0 {
			t.Errorf("%s: the workspace link is folded in a menu", tt.email)
		}
		if header.Find(`details[data-testid=account-menu] form[action="/logout"]`).Length() != 1 {
			t.Errorf("%s: no sign-out in the account menu", tt.email)
		}
		bar := doc.Find(`nav[data-testid=workspace-nav]`)
		if bar.Length() != 1 || bar.AttrOr("aria-label", "") != "Workspace" {
			t.Fatalf("%s: no workspace navigation", tt.email)
		}
		got := hrefs(bar)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: workspace links %v, want each of %v once", tt.email, got, tt.want)
		}
		if name := bar.Find(`a[href="/manage/stories"]`).Text(); name != "Moderation" {
			t.Errorf("%s: the moderation link says %q", tt.email, name)
		}
		if bar.Find(`a[href="/dashboard"][aria-current=page]`).Length() != 1 {
			t.Errorf("%s: the dashboard is not marked as the page shown", tt.email)
		}
		for _, path := range tt.want {
			wantStatus(t, c.get(t, path), http.StatusOK)
		}
		// No page of staff's anywhere on a coordinator's pages.
		if tt.email == "agadir@example.org" {
			for _, path := range staffOnly {
				if n := doc.Find(`a[href="` + path + `"]`).Length(); n != 0 {
					t.Errorf("a coordinator sees %d links to %s", n, path)
				}
			}
		}
	}

	// The current page is marked in its group, on a staff page.
	doc := a.loggedIn(t, "staff@example.org").get(t, "/manage/audit").doc(t)
	admin := doc.Find("[data-testid=workspace-admin]")
	if admin.Find(`a[href="/manage/audit"][aria-current=page]`).Length() != 1 || !admin.Find("summary").HasClass("current") {
		t.Error("the audit log is not marked in its group")
	}
	if doc.Find("[data-testid=workspace-network] summary.current").Length() != 0 {
		t.Error("the network group is marked on the audit log")
	}

	// The bar is on the workspace's pages only.
	c := a.loggedIn(t, "agadir@example.org")
	for path, want := range map[string]int{"/dashboard": 1, "/manage/stories": 1, "/manage/city-reports": 1, "/account": 1, "/cities": 0, "/reports": 0, "/": 0} {
		if got := c.get(t, path).doc(t).Find("nav[data-testid=workspace-nav]").Length(); got != want {
			t.Errorf("signed in, %s has %d workspace bars, want %d", path, got, want)
		}
	}
	anon := a.client().get(t, "/cities").doc(t)
	if anon.Find("nav[data-testid=workspace-nav], [data-testid=workspace-link], [data-testid=account-menu]").Length() != 0 {
		t.Error("an anonymous visitor sees the workspace's navigation")
	}
	if hrefs(anon.Find(`header nav[aria-label="Main"]`))[6] != "/login" {
		t.Error("an anonymous visitor has no link to log in")
	}
}

// TestLongPagesHaveContents: the long pages (a city, a city's report, to
// its coordinator and to staff, and the network report) have contents in
// a bar that stays on screen, whose every link reaches one section
// heading, and whose sections fold under their headings, open.
func TestLongPagesHaveContents(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	coo := a.loggedIn(t, "agadir@example.org")
	report := startReport(t, coo)
	staff := a.loggedIn(t, "staff@example.org")
	for _, tt := range []struct {
		name, path, toc string
		c               *client
		want            int
	}{
		{"city page", "/cities/agadir", "page-toc", a.client(), 4},
		{"report to its coordinator", report, "page-toc", coo, 3},
		{"report to staff", report, "page-toc", staff, 3},
		{"network report", "/reports", "report-toc", staff, 8},
	} {
		doc := tt.c.get(t, tt.path).doc(t)
		links := doc.Find("[data-testid=" + tt.toc + "] a")
		if links.Length() < tt.want {
			t.Errorf("%s: %d contents links, want %d", tt.name, links.Length(), tt.want)
		}
		if bar := links.First().Closest(".contents-bar, .filter-summary"); bar.Length() != 1 || bar.Find("details.page-contents > summary").Length() != 1 {
			t.Errorf("%s: the contents are not in a sticky bar's menu", tt.name)
		}
		links.Each(func(_ int, s *goquery.Selection) {
			id := strings.TrimPrefix(s.AttrOr("href", ""), "#")
			h := doc.Find("#" + id)
			if h.Length() != 1 || !h.Is("h2") || h.Parent().Is("summary") && h.Closest("details.fold[open]").Length() != 1 {
				t.Errorf("%s: contents link #%s reaches no section heading", tt.name, id)
			}
		})
		if n := doc.Find("details.fold[open] > summary > h2").Length(); n < tt.want {
			t.Errorf("%s: %d sections fold, want %d", tt.name, n, tt.want)
		}
	}
}
