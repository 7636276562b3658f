package handlers_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
)

// waitFor waits until the JavaScript expression js is true on the page.
func (tb *tab) waitFor(what, js string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		tb.t.Fatalf("%s: wait for %s: %v%s", tb.name, what, err, tb.saveArtifacts(what))
	}
}

// clearSearch empties a city picker's search field, as selecting its
// text and deleting it would, without the input event that follows.
func clearSearch(tb *tab) {
	tb.t.Helper()
	eval[bool](tb, `(document.querySelector("#cities-search").value = "") === ""`)
}

// pickerNetwork are cities of the real network beyond the test app's
// Agadir and Fez: more than 40, so that the pickers show their countries
// closed, as for the network's 425.
var pickerNetwork = []struct{ name, country string }{
	{"Évora", "PT"}, {"Amadora", "PT"}, {"Villa María", "AR"}, {"Córdoba", "AR"}, {"Santa Fe", "AR"},
	{"Sobral", "BR"}, {"Contagem", "BR"}, {"Medellín", "CO"}, {"Bogotá", "CO"}, {"Puebla", "MX"},
	{"Suwon", "KR"}, {"Jeonju", "KR"}, {"Namyangju", "KR"}, {"Siheung", "KR"}, {"Yeonsu-gu", "KR"},
	{"Hangzhou", "CN"}, {"Chengdu", "CN"}, {"Beijing", "CN"}, {"Sơn La", "VN"}, {"Hue", "VN"},
	{"Giza", "EG"}, {"Aswan", "EG"}, {"Amman", "JO"}, {"Shiraz", "IR"}, {"Essaouira", "MA"},
	{"Marrakech", "MA"}, {"Ifrane", "MA"}, {"Chefchaouen", "MA"}, {"Benguerir", "MA"}, {"Cork", "IE"},
	{"Limerick", "IE"}, {"Swansea", "GB"}, {"Bristol", "GB"}, {"Gelsenkirchen", "DE"}, {"Clermont-Ferrand", "FR"},
	{"Nantes", "FR"}, {"Espoo", "FI"}, {"Tromsø", "NO"}, {"Larissa", "GR"}, {"Lagos", "NG"},
	{"Ibadan", "NG"}, {"Kampala", "UG"},
}

// TestBrowserCityPicker: staff invite coordinators with the city picker.
// With JavaScript they find Évora by typing "evora" (no accent) and the
// Moroccan cities by typing Morocco's French name on an English page;
// the polite status counts the matches and the line above the list names
// the ticked city. In Arabic on a phone they find a city by the Arabic
// name of its country. Without JavaScript they open Argentina's group
// and tick Villa María. Both invitations are saved with their city.
// axe-core and the Nu HTML Checker run on every page; the 390 px pages
// are kept as screenshots (test-artifacts/city-picker-*.png).
func TestBrowserCityPicker(t *testing.T) {
	tools := needBrowser(t)
	a := newAppWith(t, handlers.Config{MailToFiles: true}, false)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	ids := map[string]uint{}
	for _, city := range pickerNetwork {
		ids[city.name] = a.addCity(t, city.name, city.country).ID
	}
	// Typing a city's or a country's name as the page writes it finds it:
	// what the server folded (data-search) is what the script folds.
	everyNameFinds := func(tb *tab) {
		t.Helper()
		missed := eval[[]string](tb, `(() => {
			const search = document.querySelector("#cities-search"), missed = [];
			const find = (name, labels) => {
				search.value = name;
				search.dispatchEvent(new Event("input"));
				if (![...labels].every(l => l.checkVisibility())) missed.push(name);
			};
			for (const l of document.querySelectorAll("#cities-groups label")) find(l.textContent.trim(), [l]);
			for (const g of document.querySelectorAll(".city-group")) find(g.querySelector("summary").firstChild.textContent.trim(), g.querySelectorAll("label"));
			search.value = "";
			search.dispatchEvent(new Event("input"));
			return missed;
		})()`)
		if len(missed) > 0 {
			t.Errorf("%s: typing these names does not find them: %q", tb.name, missed)
		}
	}
	visible := func(tb *tab) []string {
		return eval[[]string](tb, `[...document.querySelectorAll("#cities-groups label")].filter(l => l.checkVisibility()).map(l => l.textContent.trim())`)
	}
	invited := func(email string) []uint {
		t.Helper()
		for _, u := range a.users(t, models.UserFilter{Query: email}) {
			return u.CityIDs
		}
		t.Fatalf("%s was not invited", email)
		return nil
	}

	staff := a.open(t, c, "staff", 1280, 900, true)
	login(staff, "staff@example.org")
	staff.visit("/manage/users/new")
	if got := staff.text("[data-testid=picker-chosen-cities]"); got != "No city chosen yet." {
		t.Errorf("before ticking, the picker says %q", got)
	}
	everyNameFinds(staff)
	staff.keyboardWalk("invitation form")
	staff.step("search without the accent", chromedp.SendKeys(chromedp.CSS("#cities-search"), "evora"))
	staff.waitFor("one match", `document.querySelector("[data-testid=picker-status-cities]").textContent === "1 city matches"`)
	if got := visible(staff); !slices.Equal(got, []string{"Évora"}) {
		t.Errorf(`"evora" shows %q`, got)
	}
	staff.check("invitation form filtered")
	// Enter goes to the first match rather than sending the form.
	staff.step("go to the match and tick it", chromedp.KeyEvent("\r"), chromedp.KeyEvent(" "))
	if got := staff.text("[data-testid=picker-chosen-cities]"); got != "1 city chosen: \u2068Évora\u2069" {
		t.Errorf("after ticking Évora the picker says %q", got)
	}
	clearSearch(staff)
	staff.step("search by the French name of a country", chromedp.SendKeys(chromedp.CSS("#cities-search"), "Maroc"))
	staff.waitFor("seven matches", `document.querySelector("[data-testid=picker-status-cities]").textContent === "7 cities match"`)
	if got := visible(staff); len(got) != 7 || !slices.Contains(got, "Agadir") || !slices.Contains(got, "Chefchaouen") {
		t.Errorf(`"Maroc" shows %q`, got)
	}
	staff.step("search for nothing there", chromedp.SendKeys(chromedp.CSS("#cities-search"), "xyz"))
	staff.waitFor("no match", `document.querySelector("[data-testid=picker-status-cities]").textContent.startsWith("No city matches")`)
	if n := eval[int](staff, `[...document.querySelectorAll(".city-group")].filter(g => g.checkVisibility()).length`); n != 0 {
		t.Errorf("%d countries shown for no match", n)
	}
	// Escape clears the search: every country is back, closed but for the
	// one with the ticked city.
	staff.step("clear the search", chromedp.KeyEvent("\x1b"))
	total := eval[int](staff, `document.querySelectorAll(".city-group").length`)
	open := eval[[]string](staff, `[...document.querySelectorAll(".city-group")].filter(g => g.checkVisibility() && g.open).map(g => g.dataset.testid)`)
	if n := eval[int](staff, `[...document.querySelectorAll(".city-group")].filter(g => g.checkVisibility()).length`); n != total || !slices.Equal(open, []string{"country-PT"}) {
		t.Errorf("after clearing: %d of %d countries shown, %v open; want all, Portugal's", n, total, open)
	}
	staff.screenshot("city-picker-en-1280")
	staff.step("invite a coordinator of Évora",
		chromedp.SendKeys(chromedp.CSS("#name"), "Ana Sousa"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ana@evora.example"),
		chromedp.SetValue(chromedp.CSS("#role"), "coordinator"),
		chromedp.SetValue(chromedp.CSS("#language"), "en"),
		chromedp.Click(chromedp.CSS("[data-testid=send-invitation]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=user-name]")),
	)
	staff.check("the invited account")
	if got := invited("ana@evora.example"); !slices.Equal(got, []uint{ids["Évora"]}) {
		t.Errorf("Ana's cities: %v, want Évora's id %d", got, ids["Évora"])
	}
	// The account's own page: its city ticked, its country open.
	if got := staff.text("[data-testid=picker-chosen-cities]"); got != "1 city chosen: \u2068Évora\u2069" {
		t.Errorf("the account's picker says %q", got)
	}
	staff.visit("/manage/campaigns/new")

	// In Arabic, on a phone: the Arabic name of a country finds its cities.
	phone := a.open(t, c, "staff in Arabic on a phone", 390, 844, true)
	login(phone, "staff@example.org")
	phone.visit("/")
	phone.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	phone.visit("/manage/users/new")
	phone.screenshot("city-picker-ar-390")
	everyNameFinds(phone)
	phone.step("search by the Arabic name of Argentina, without its hamza", chromedp.SendKeys(chromedp.CSS("#cities-search"), "الارجنتين"))
	phone.waitFor("three matches", `document.querySelector("[data-testid=picker-status-cities]").textContent === "3 مدن مطابقة"`)
	clearSearch(phone)
	phone.step("search by the Arabic name of Portugal", chromedp.SendKeys(chromedp.CSS("#cities-search"), "البرتغال"))
	phone.waitFor("two matches", `document.querySelector("[data-testid=picker-status-cities]").textContent === "مدينتان مطابقتان"`)
	if got := visible(phone); !slices.Equal(got, []string{"Amadora", "Évora"}) {
		t.Errorf(`"البرتغال" shows %q`, got)
	}
	phone.step("tick both", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[value="%d"]`, ids["Amadora"]))), chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[value="%d"]`, ids["Évora"]))))
	if got := phone.text("[data-testid=picker-chosen-cities]"); got != "مدينتان مختارتان: \u2068Amadora\u2069 و\u2068Évora\u2069" {
		t.Errorf("after ticking two in Arabic the picker says %q", got)
	}
	phone.check("invitation form in Arabic, filtered")
	shotCtx, cancelShot := context.WithTimeout(phone.ctx, 20*time.Second)
	shot, err := chromedp.Run(shotCtx, chromedp.Screenshot(chromedp.CSS("[data-testid=picker-chosen-cities]")))
	cancelShot()
	must(t, err)
	must(t, os.WriteFile(filepath.Join(artifactsDir(), "city-picker-ar-chosen.png"), shot, 0o644))
	phone.screenshot("city-picker-ar-390-filtered")

	// Without JavaScript, on a phone, back in English: open a country and
	// tick a city.
	nojs := a.open(t, c, "staff without JavaScript", 390, 844, false)
	login(nojs, "staff@example.org")
	nojs.visit("/manage/users/new")
	nojs.step("choose English",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "en"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="ltr"][lang="en"] [data-testid=invite-form]`)),
	)
	if n := eval[int](nojs, `[...document.querySelectorAll("#cities-search, [data-testid=picker-chosen-cities]")].filter(e => e.checkVisibility()).length`); n != 0 {
		t.Errorf("without JavaScript %d of the script's controls show", n)
	}
	nojs.screenshot("city-picker-en-390-nojs")
	villa := fmt.Sprintf(`input[name=cities][value="%d"]`, ids["Villa María"])
	nojs.step("open Argentina and tick Villa María",
		chromedp.Click(chromedp.CSS("[data-testid=country-AR] summary")),
		chromedp.WaitVisible(chromedp.CSS(villa)),
		chromedp.Click(chromedp.CSS(villa)),
	)
	nojs.screenshot("city-picker-en-390-nojs-open")
	nojs.step("invite a coordinator of Villa María",
		chromedp.SendKeys(chromedp.CSS("#name"), "Lucía Pérez"),
		chromedp.SendKeys(chromedp.CSS("#email"), "lucia@villamaria.example"),
		chromedp.SetValue(chromedp.CSS("#language"), "es"),
		chromedp.Click(chromedp.CSS("[data-testid=send-invitation]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=user-name]")),
	)
	if got := invited("lucia@villamaria.example"); !slices.Equal(got, []uint{ids["Villa María"]}) {
		t.Errorf("Lucía's cities: %v, want Villa María's id %s", got, strconv.Itoa(int(ids["Villa María"])))
	}
	c.validateHTML()
}
