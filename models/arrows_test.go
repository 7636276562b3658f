package models_test

import (
	"bufio"
	"bytes"
	"maps"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// arrows are the packages each of ours may import of ours: imports run
// one way, from the command down to the domain, which imports none.
var arrows = map[string][]string{
	"cmd/tracker":             {"handlers", "views", "models", "models/store", "models/demo", "models/mail"},
	"handlers":                {"views", "static", "models", "models/store", "models/report", "models/importer", "models/photo"},
	"views":                   {"static", "models", "models/report"},
	"static":                  {},
	"models":                  {},
	"models/store":            {"models", "models/report/rollup", "models/store/migrations"},
	"models/store/migrations": {},
	"models/store/storetest":  {"models", "models/store", "models/report", "models/report/rollup"},
	"models/report":           {"models", "models/report/rollup"},
	"models/report/rollup":    {"models"},
	"models/importer":         {"models", "models/store"},
	"models/photo":            {"models"},
	"models/mail":             {"models", "models/store"},
	"models/demo":             {"models", "models/store"},
}

// light are the packages that reach no database driver, no ORM and no
// spreadsheet library, even indirectly: the domain, the report engine
// and the views that render them.
var light = []string{"models", "models/report", "models/report/rollup", "models/photo", "models/store/migrations", "views"}

var heavy = regexp.MustCompile(`^(gorm\.io/|github\.com/jackc/pgx|github\.com/mattn/go-sqlite3|github\.com/xuri/excelize)`)

// unreached are, for other packages, the libraries they must not reach:
// the store reads no spreadsheet (models/importer does).
var unreached = map[string]*regexp.Regexp{
	"models/store": regexp.MustCompile(`^github\.com/xuri/excelize`),
}

const module = "github.com/unesco-gnlc/learnthroughlife/"

// TestImportArrows checks every package of the module against arrows,
// from go list: a package that imports against the arrows, or that is
// not in them, fails; so does a light package that reaches a driver, and
// the store if it reaches a spreadsheet library.
func TestImportArrows(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		pkg := strings.TrimPrefix(fields[0], module)
		seen[pkg] = true
		allowed, ok := arrows[pkg]
		if !ok {
			t.Errorf("%s is not in the import arrows: add it, with the packages of ours it may import", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if ours, found := strings.CutPrefix(imp, module); found && !slices.Contains(allowed, ours) {
				t.Errorf("%s imports %s, against the arrows", pkg, ours)
			}
		}
	}
	for pkg := range arrows {
		if !seen[pkg] {
			t.Errorf("%s is in the arrows but not in the module", pkg)
		}
	}
	checks := maps.Clone(unreached)
	for _, pkg := range light {
		checks[pkg] = heavy
	}
	for pkg, lib := range checks {
		deps, err := exec.Command("go", "list", "-deps", "../"+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(deps)) {
			if lib.MatchString(dep) {
				t.Errorf("%s reaches %s", pkg, dep)
				break
			}
		}
	}
}
