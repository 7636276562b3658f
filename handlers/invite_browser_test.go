package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

// chooseLanguage picks lang in the footer's switch of the page shown.
func chooseLanguage(tb *tab, lang string) {
	tb.t.Helper()
	tb.step("choose "+lang,
		chromedp.SetValue(chromedp.CSS("#language-choice"), lang),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="`+lang+`"]`)),
	)
}

// TestBrowserInvitationInFrench: staff working in French invite a
// coordinator (the form proposes French); the coordinator opens the link
// in a browser that never saw the site, on a phone, chooses a password
// and signs in: every page on the way is in French. Staff then make a new
// link to pass on another way, shown once with a copy button.
func TestBrowserInvitationInFrench(t *testing.T) {
	tools := needBrowser(t)
	a := newAppWith(t, handlers.Config{MailToFiles: true}, false)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}

	staff := a.open(t, c, "staff in French", 1280, 900, true)
	login(staff, "staff@example.org")
	chooseLanguage(staff, "fr")
	staff.visit("/manage/users/new")
	if got := eval[string](staff, `document.querySelector("#language").value`); got != "fr" {
		t.Errorf("the invitation form proposes %q, want fr", got)
	}
	staff.step("invite a coordinator of Fez",
		chromedp.SendKeys(chromedp.CSS("#name"), "Amina Idrissi"),
		chromedp.SendKeys(chromedp.CSS("#email"), "amina@fes.example"),
		chromedp.SetValue(chromedp.CSS("#role"), "coordinator"),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`input[name=cities][value="%d"]`, a.fez.ID)), " "),
		chromedp.Submit(chromedp.CSS("[data-testid=invite-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=user-name]")),
	)
	staff.check("the invited account")
	link := a.mailLink(t, "amina@fes.example")

	amina := a.open(t, c, "invited coordinator, no cookie", 390, 844, true)
	amina.visit(link)
	if lang := eval[string](amina, `document.documentElement.lang`); lang != "fr" {
		t.Errorf("the invitation page is in %q", lang)
	}
	setPassword(amina, link, strongPassword)
	if lang := eval[string](amina, `document.documentElement.lang`); lang != "fr" {
		t.Errorf("the sign-in page after the password step is in %q", lang)
	}
	if got := amina.text("[data-testid=flash]"); got != "Votre mot de passe est enregistré. Connectez-vous avec celui-ci." {
		t.Errorf("flash %q", got)
	}
	signIn(amina, "amina@fes.example", strongPassword)
	if lang := eval[string](amina, `document.documentElement.lang`); lang != "fr" {
		t.Errorf("the dashboard after the first sign-in is in %q", lang)
	}

	// A new link for someone else, to copy.
	u := a.invite(t, "late@agadir.example")
	staff.visit(fmt.Sprintf("/manage/users/%d", u.ID))
	staff.markStale()
	staff.step("make a new link", chromedp.Click(chromedp.CSS("[data-testid=new-link]")), chromedp.WaitVisible(fresh("[data-testid=invitation-link]")))
	staff.check("the new link")
	if got := eval[string](staff, `document.querySelector("[data-testid=invitation-link]").value`); !strings.Contains(got, "/invitations/") {
		t.Errorf("the new link is %q", got)
	}
	if !eval[bool](staff, `!document.querySelector("[data-testid=copy-link]").hidden`) {
		t.Error("the copy button stays hidden with scripts on")
	}
	staff.keyboardWalk("the new link")
	c.validateHTML()
}

// TestBrowserFileButtonInArabic: on a phone in Arabic, the file inputs
// (a city's import, a learner's photo) show a translated button and the
// chosen file's name, reached by the keyboard; without scripts the native
// input stays usable.
func TestBrowserFileButtonInArabic(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	sheet := filepath.Join(t.TempDir(), "أحداث.csv")
	must(t, os.WriteFile(sheet, []byte("title\n"), 0o644))

	coord := a.open(t, c, "coordinator in Arabic on a phone", 390, 844, true)
	login(coord, "agadir@example.org")
	chooseLanguage(coord, "ar")
	coord.visit("/manage/cities/agadir/import")
	if got := coord.text("[data-testid=file-button-file]"); got != "اختر ملفًا" {
		t.Errorf("the file button says %q", got)
	}
	if got := coord.text("[data-testid=file-name-file]"); got != "لم يُختر أي ملف" {
		t.Errorf("before choosing, the file name says %q", got)
	}
	if w := eval[int](coord, `document.querySelector("#file").getBoundingClientRect().width`); w > 1 {
		t.Errorf("the native input still shows, %d px wide", w)
	}
	if w := eval[int](coord, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide at 390", w)
	}
	coord.keyboardWalk("import in Arabic")
	// Focused, the native input rings the button.
	if !eval[bool](coord, `(() => {
		document.querySelector("#file").focus({focusVisible: true});
		return getComputedStyle(document.querySelector("[data-testid=file-button-file]")).outlineStyle !== "none";
	})()`) {
		t.Error("the focused file input shows no ring on its button")
	}
	coord.step("choose a file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{sheet}))
	if got := coord.text("[data-testid=file-name-file]"); got != "أحداث.csv" {
		t.Errorf("after choosing, the file name says %q", got)
	}
	coord.check("import with a file chosen")

	learner := a.open(t, c, "learner in Arabic on a phone", 390, 844, true)
	learner.visit("/")
	chooseLanguage(learner, "ar")
	learner.visit("/stories/new")
	if got := learner.text("[data-testid=file-button-photo]"); got != "اختر ملفًا" {
		t.Errorf("the photo button says %q", got)
	}

	noJS := a.open(t, c, "learner without JavaScript", 390, 844, false)
	noJS.visit("/stories/new")
	if !eval[bool](noJS, `document.querySelector("[data-file-ui]").hidden && document.querySelector("#photo").getBoundingClientRect().width > 100`) {
		t.Errorf("without scripts the native photo input is not shown as it is%s", noJS.saveArtifacts("no js"))
	}
	c.validateHTML()
}
