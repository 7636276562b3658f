package handlers_test

import (
	"net/http"
	"slices"
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
