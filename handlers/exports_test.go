package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestCityExports(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	for path, want := range map[string]string{
		"/manage/cities/agadir/events.csv":   "Agadir reading afternoon",
		"/manage/cities/agadir/partners.csv": "hassan@library.example",
		"/manage/cities/agadir/stories.csv":  "id,title,author",
	} {
		res := c.get(t, path)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.body, want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	wantStatus(t, c.get(t, "/manage/cities/fez/partners.csv"), http.StatusForbidden)
	wantStatus(t, a.client().get(t, "/manage/cities/agadir/partners.csv"), http.StatusSeeOther)
}
