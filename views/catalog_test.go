package views

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// literalKeys finds the message ids passed as literals to T, Tf, Tn and
// the handlers' t helper; a literal followed by + is a prefix (see
// dynamicKeys).
func literalKeys(t *testing.T) map[string]bool {
	t.Helper()
	call := regexp.MustCompile(`\b(?:T|Tf|Tn|Tnf|h\.t)\(\s*\w+,\s*"([a-z0-9_.\-]+)"\s*[,)]`)
	keys := map[string]bool{}
	for _, pattern := range []string{"*.templ", "*.go", "../handlers/*.go"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_templ.go") || strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range call.FindAllStringSubmatch(string(b), -1) {
				if !strings.HasSuffix(m[1], ".") {
					keys[m[1]] = true
				}
			}
		}
	}
	return keys
}

// dynamicKeys lists the ids built at run time from a prefix and a value.
func dynamicKeys(t *testing.T) map[string]bool {
	keys := map[string]bool{}
	add := func(prefix string, values ...string) {
		for _, v := range values {
			keys[prefix+v] = true
		}
	}
	add("region.", strs(models.Regions())...)
	add("status.", strs(models.EventStatuses())...)
	add("format.", strs(models.EventFormats())...)
	add("area.", strs(models.LearningAreas())...)
	add("age.", strs(models.AgeGroups())...)
	add("sector.", strs(models.Sectors())...)
	add("role.", strs(models.Roles())...)
	add("city.tab.", "events", "partners", "public", "report")
	add("city_report_status.", append(strs(models.CityReportStatuses()), strs(models.ReportingStates())...)...)
	add("city_reports.step.", "create", "save", "submit", "resubmit", "request_changes", "approve")
	for _, score := range models.Scores() {
		add("city_reports.score.", strconv.Itoa(score))
	}
	// Every figure but countries, whose definition is its name, is defined.
	add("definition.", strs(definedFigures())...)
	add("story_status.", strs(models.StoryStatuses())...)
	add("moderation.action.", strs(models.StoryActions())...)
	add("moderation.done.", strs(models.StoryActions())...)
	add("audit.action.", strs(models.AuditActions())...)
	add("audit.entity.", strs(models.AuditEntities())...)
	add("activity.count.", strs(models.AuditEntities())...)
	add("activity.import.", string(models.EntityEvent), string(models.EntityPartner))
	add("city_reports.gap.", models.GapNarrative, models.GapRatings)
	for _, actor := range models.SystemActors() {
		add("audit.actor.", strings.ReplaceAll(actor, " ", "_"))
	}
	add("figure.", strs(models.Figures())...)
	// Synonyms an import understands (importChoices, ImportVocabulary).
	add("import.also.status.", strs(models.EventStatuses())...)
	add("import.also.format.", strs(models.EventFormats())...)
	add("import.also.age_groups.", strs(models.AgeGroups())...)
	add("import.also.active.", "yes", "no")
	add("import.", "yes", "no")
	for _, kind := range models.ImportKinds() {
		add("import.help.col.", kind.Columns()...)
	}
	add("import.help.col.", "age_count", "partner_lang")
	// The help pages' titles (firstday.*.toml).
	add("help.title.", HelpTopics()...)
	// People and mail (people.*.toml).
	add("user_status.", strs(models.UserStatuses())...)
	add("outbox_status.", strs(models.OutboxStatuses())...)
	add("notify.", strs(append(models.NotificationKinds(models.RoleCoordinator), models.NotificationKinds(models.RoleStaff)...))...)
	add("password.title.", string(models.TokenInvitation), string(models.TokenReset))
	add("link.", string(models.TokenInvitation)+".what_now", string(models.TokenReset)+".what_now")
	add("link.", "used.title", "expired.title", "unknown.title")
	for _, bd := range models.AllBreakdowns() {
		add("annual.breakdown.", bd.Key)
		add("report.by_", bd.Name)
		if bd.Chart != "" {
			add("report.chart_", bd.Name)
		}
	}
	add("annual.chart.", ChartNames()...)
	for d := time.Sunday; d <= time.Saturday; d++ {
		add("weekday.", strings.ToLower(d.String()))
	}
	for m := time.January; m <= time.December; m++ {
		add("month.", strings.ToLower(m.String()))
	}
	for code := 400; code < 600; code++ {
		if http.StatusText(code) != "" {
			add(fmt.Sprintf("error.%d.", code), "title", "message", "csrf")
		}
	}
	// Validation codes: validator tags and the codes the models and
	// handlers add themselves.
	src := readAll(t, "../models/*.go", "../models/*/*.go", "../models/*/*/*.go", "../handlers/*.go")
	code := regexp.MustCompile(`"([a-z_][a-z0-9_]*)"`)
	for _, m := range code.FindAllStringSubmatch(src, -1) {
		keys["validation."+m[1]] = true
	}
	// Message ids handed to a helper as values, as handlers do.
	for _, m := range regexp.MustCompile(`"([a-z_]+\.[a-z_.]+)"`).FindAllStringSubmatch(readAll(t, "../handlers/*.go"), -1) {
		if !strings.HasSuffix(m[1], ".") {
			keys[m[1]] = true
		}
	}
	tags := regexp.MustCompile(`validate:"([^"]+)"`)
	for _, m := range tags.FindAllStringSubmatch(src, -1) {
		for _, rule := range strings.Split(m[1], ",") {
			name, _, _ := strings.Cut(rule, "=")
			keys["validation."+name] = true
		}
	}
	return keys
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func readAll(t *testing.T, patterns ...string) string {
	t.Helper()
	var b strings.Builder
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
	}
	return b.String()
}

// catalogKeys reads a language's ids and whether each is a plural: the
// main file (locales/en.toml) and every feature file (locales/*.en.toml),
// which must not repeat an id.
func catalogKeys(t *testing.T, lang string) map[string]any {
	t.Helper()
	files, err := filepath.Glob("locales/*." + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	for _, path := range append([]string{"locales/" + lang + ".toml"}, files...) {
		var part map[string]any
		if _, err := toml.DecodeFile(path, &part); err != nil {
			t.Fatal(err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				t.Errorf("%s repeats %s", path, k)
			}
			m[k] = v
		}
	}
	return m
}

func TestCatalogHasEveryKeyTheCodeUses(t *testing.T) {
	cat := catalogKeys(t, "en")
	var missing []string
	for k := range literalKeys(t) {
		if _, ok := cat[k]; !ok {
			missing = append(missing, k)
		}
	}
	// Enum values must all have labels.
	for k := range dynamicKeys(t) {
		family := k[:strings.LastIndex(k, ".")+1]
		switch family {
		case "region.", "status.", "format.", "area.", "age.", "sector.", "role.", "city.tab.", "audit.action.", "audit.entity.", "activity.count.", "activity.import.", "month.",
			"story_status.", "moderation.action.", "moderation.done.", "city_report_status.", "city_reports.step.", "city_reports.score.",
			"report.", "annual.breakdown.", "annual.chart.", "definition.":
			if _, ok := cat[k]; !ok {
				missing = append(missing, k)
			}
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("catalog lacks %d keys: %v", len(missing), missing)
	}
}

func TestCatalogHasNoUnusedKey(t *testing.T) {
	used := literalKeys(t)
	for k := range dynamicKeys(t) {
		used[k] = true
	}
	var unused []string
	for k := range catalogKeys(t, "en") {
		if !used[k] {
			unused = append(unused, k)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("catalog has %d keys no code uses: %v", len(unused), unused)
	}
}

func TestPluralMessagesHaveEveryEnglishForm(t *testing.T) {
	for k, v := range catalogKeys(t, "en") {
		if forms, ok := v.(map[string]any); ok {
			if forms["one"] == nil || forms["other"] == nil {
				t.Errorf("%s lacks a plural form: %v", k, forms)
			}
		}
	}
}

func TestCatalogLoads(t *testing.T) {
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for prefs, want := range map[string]string{
		"fr-FR, en;q=0.5": "fr", "es-AR": "es", "ar-MA,fr;q=0.8": "ar", "de-DE": "en", "": "en", "en-GB": "en",
	} {
		if got := c.Match(prefs).String(); got != want {
			t.Errorf("Match(%q) = %s, want %s", prefs, got, want)
		}
	}
	if len(c.Languages()) != 4 {
		t.Errorf("languages = %v, want en, fr, es, ar", c.Languages())
	}
}

// pluralForms are the CLDR plural categories each language needs.
func pluralForms() map[string][]string {
	return map[string][]string{
		"en": {"one", "other"},
		"fr": {"one", "many", "other"},
		"es": {"one", "many", "other"},
		"ar": {"zero", "one", "two", "few", "many", "other"},
	}
}

// TestEveryCatalogIsComplete checks that every language has every message
// of the English catalog, no other, and every plural form it needs.
func TestEveryCatalogIsComplete(t *testing.T) {
	en := catalogKeys(t, "en")
	for lang, forms := range pluralForms() {
		cat := catalogKeys(t, lang)
		for k, v := range en {
			tr, ok := cat[k]
			if !ok {
				t.Errorf("%s lacks %s", lang, k)
				continue
			}
			_, enPlural := v.(map[string]any)
			trForms, trPlural := tr.(map[string]any)
			if enPlural != trPlural {
				t.Errorf("%s: %s is plural in one catalog only", lang, k)
				continue
			}
			for _, f := range forms {
				if trPlural && trForms[f] == nil {
					t.Errorf("%s: %s lacks the plural form %q", lang, k, f)
				}
			}
		}
		for k := range cat {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %s, which English has not", lang, k)
			}
		}
	}
}
