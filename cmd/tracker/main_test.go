package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/photo"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// testEnv is an environment with the data directory in a temp folder.
func testEnv(t *testing.T, extra map[string]string) env {
	dir := t.TempDir()
	return func(key string) string {
		if v, ok := extra[key]; ok {
			return v
		}
		if key == "TRACKER_DATA_DIR" {
			return filepath.Join(dir, "data")
		}
		return ""
	}
}

func runCmd(t *testing.T, getenv env, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestMigrateSeedAndUserAdd(t *testing.T) {
	getenv := testEnv(t, nil)
	out, err := runCmd(t, getenv, "", "migrate")
	if err != nil || !strings.Contains(out, "is at schema version ") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	out, err = runCmd(t, getenv, "", "seed")
	if err != nil || !strings.Contains(out, "agadir@example.org") {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	if _, err := runCmd(t, getenv, "", "seed"); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("second seed: err = %v, want a refusal", err)
	}
	out, err = runCmd(t, getenv, "a very long password\n", "user", "add", "-email", "essaouira@example.org", "-name", "Nadia", "-role", "coordinator", "-cities", "essaouira,agadir")
	if err != nil || !strings.Contains(out, "Created coordinator essaouira@example.org") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"short password", "short\n", []string{"-email", "x@example.org", "-name", "X"}, "password"},
		{"eleven characters", "k7#Qz!m2Rv9\n", []string{"-email", "x@example.org", "-name", "X"}, "password"},
		{"common password", "password1234\n", []string{"-email", "x@example.org", "-name", "X"}, "password"},
		{"unknown city", "a very long password\n", []string{"-email", "x@example.org", "-name", "X", "-cities", "atlantis"}, "atlantis"},
		{"taken email", "a very long password\n", []string{"-email", "essaouira@example.org", "-name", "X"}, "email"},
		{"bad role", "a very long password\n", []string{"-email", "y@example.org", "-name", "X", "-role", "admin"}, "role"},
	} {
		_, err := runCmd(t, getenv, tt.stdin, append([]string{"user", "add"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one naming %q", tt.name, err, tt.want)
		}
	}
	if _, err := runCmd(t, getenv, "", "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
}

func TestServeAnswersAndStops(t *testing.T) {
	getenv := testEnv(t, map[string]string{"TRACKER_ADDR": "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	// serve prints its address once it listens; read what it prints as it
	// comes, keeping all of it.
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo"}, getenv, strings.NewReader(""), pw, &bytes.Buffer{})
		pw.Close()
	}()
	addrc := make(chan string, 1)
	printed := make(chan string, 1)
	go func() {
		var all strings.Builder
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			if addr, ok := strings.CutPrefix(sc.Text(), "Listening on "); ok {
				addrc <- addr
			}
		}
		printed <- all.String()
	}()
	// Seeding the demo is slow under the race detector on a busy machine:
	// wait up to two minutes for the server to listen.
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("server never listened")
	}
	res, err := http.Get(addr + "/healthz")
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("healthz = %d", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if out := <-printed; !strings.Contains(out, "staff@example.org") {
		t.Errorf("demo logins not printed:\n%s", out)
	}
}

func TestSeedScaleSmallAndInterrupted(t *testing.T) {
	getenv := testEnv(t, nil)
	dir := getenv("TRACKER_DATA_DIR")
	target := filepath.Join(dir, "scale.db")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	err := run(ctx, []string{"seed", "--scale", "--database-url", target, "--cities", "5", "--partners", "20", "--events", "300", "--stories", "500"}, getenv, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("interrupted seed: err = %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "scale.db*")); len(files) != 0 {
		t.Fatalf("an interrupted seed left %v", files)
	}
	got, err := runCmd(t, getenv, "", "seed", "--scale", "--database-url", target, "--cities", "5", "--partners", "20", "--events", "300", "--stories", "500")
	if err != nil || !strings.Contains(got, "Generated 5 cities") {
		t.Fatalf("scale seed: %v\n%s", err, got)
	}
	if _, err := runCmd(t, getenv, "", "seed", "--scale", "--database-url", target); err == nil {
		t.Fatal("scale seed over an existing database accepted")
	}
	if got, err := runCmd(t, getenv, "", "seed", "--scale", "--if-empty", "--database-url", target); err != nil || !strings.Contains(got, "left as it is") {
		t.Fatalf("scale seed --if-empty over an existing database: %v\n%s", err, got)
	}
}

// TestBackupRestoreDrill backs up a live database, restores the copy in
// place of the database, and finds the data there, erasures kept: a story
// withdrawn after the backup does not come back, nor does its photo.
func TestBackupRestoreDrill(t *testing.T) {
	getenv := testEnv(t, nil)
	if _, err := runCmd(t, getenv, "", "seed"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tracker := openTestStore(t, getenv)
	st, code := submitStory(t, tracker, "Withdrawn after the backup", true)
	photo := filepath.Join(getenv("TRACKER_DATA_DIR"), "photos", st.PhotoKey+".jpg")
	tracker.Close()
	photoData, err := os.ReadFile(photo)
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "backup.db")
	got, err := runCmd(t, getenv, "", "backup", "-out", out)
	if err != nil || !strings.Contains(got, "Backed up") {
		t.Fatalf("backup: %v\n%s", err, got)
	}
	if _, err := runCmd(t, getenv, "", "backup", "-out", out); err == nil {
		t.Error("backup over an existing file accepted")
	}
	tracker = openTestStore(t, getenv)
	if _, err := tracker.WithdrawStory(ctx, code); err != nil {
		t.Fatal(err)
	}
	tracker.Close()

	// Restore, as the README says: the copy replaces the database, the
	// photos come back from the backup, and the app is migrated.
	db := filepath.Join(getenv("TRACKER_DATA_DIR"), "tracker.db")
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(f)
	}
	copyFile(t, out, db)
	if err := os.WriteFile(photo, photoData, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = runCmd(t, getenv, "", "migrate")
	if err != nil || !strings.Contains(got, db) || !strings.Contains(got, "Erased again 1 ") {
		t.Fatalf("migrate the restored copy: %v\n%s", err, got)
	}
	if got, err := runCmd(t, getenv, "", "seed"); err == nil || !strings.Contains(err.Error(), "already has data") {
		t.Fatalf("the restored copy looks empty: %v\n%s", err, got)
	}
	tracker = openTestStore(t, getenv)
	back, err := tracker.Story(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != models.StoryWithdrawn || back.Title != "" || back.Body != "" || back.ContactEmail != "" || back.HasPhoto() {
		t.Errorf("the restore brought a withdrawn story back: %+v", back)
	}
	if _, err := os.Stat(photo); !os.IsNotExist(err) {
		t.Errorf("the restore brought a withdrawn story's photo back: %v", err)
	}
}

// TestServeErasesExpiredRejectedStories starts the server on a database
// with a story rejected 100 days ago: it is erased at start-up.
func TestServeErasesExpiredRejectedStories(t *testing.T) {
	addr := freeAddr(t)
	getenv := testEnv(t, map[string]string{"TRACKER_ADDR": addr, "TRACKER_REJECTED_RETENTION_DAYS": "90"})
	if _, err := runCmd(t, getenv, "", "seed"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tracker := openTestStore(t, getenv)
	old, _ := submitStory(t, tracker, "Rejected long ago", false)
	recent, _ := submitStory(t, tracker, "Rejected last month", false)
	for _, st := range []*models.Story{old, recent} {
		if err := tracker.ModerateStory(ctx, models.CLIActor(), st, models.ActionReject, "Not about learning"); err != nil {
			t.Fatal(err)
		}
	}
	tracker.Close()
	sqlDB, err := sql.Open("sqlite3", filepath.Join(getenv("TRACKER_DATA_DIR"), "tracker.db"))
	if err != nil {
		t.Fatal(err)
	}
	for id, days := range map[uint]int{old.ID: 100, recent.ID: 30} {
		if _, err := sqlDB.Exec("UPDATE stories SET decided_at = ? WHERE id = ?", time.Now().UTC().AddDate(0, 0, -days), id); err != nil {
			t.Fatal(err)
		}
	}
	sqlDB.Close()

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, []string{"serve"}, getenv, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	}()
	waitForServer(t, addr)
	tracker = openTestStore(t, getenv)
	var erased *models.Story
	for range 100 {
		if erased, err = tracker.Story(ctx, old.ID); err != nil || erased.Erased() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if erased == nil || erased.Status != models.StoryErased || erased.Title != "" {
		t.Errorf("story rejected 100 days ago not erased at start-up: %+v", erased)
	}
	kept, err := tracker.Story(ctx, recent.ID)
	if err != nil || kept.Title != "Rejected last month" {
		t.Errorf("story rejected 30 days ago: %+v, %v", kept, err)
	}
	if _, err := runCmd(t, testEnv(t, map[string]string{"TRACKER_REJECTED_RETENTION_DAYS": "0"}), "", "migrate"); err == nil ||
		!strings.Contains(err.Error(), "TRACKER_REJECTED_RETENTION_DAYS") {
		t.Errorf("a retention of 0 days: err = %v", err)
	}
}

// openTestStore opens the environment's tracker as the commands do, closed
// at the end of the test.
func openTestStore(t *testing.T, getenv env) *store.Store {
	t.Helper()
	var s settings
	s.flags(newFlagSet("test", io.Discard), getenv)
	tracker, err := s.openStore(context.Background(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tracker.Close() })
	return tracker
}

// submitStory stores a learner's story in Agadir, with a photo if asked.
func submitStory(t *testing.T, tracker *store.Store, title string, withPhoto bool) (*models.Story, string) {
	t.Helper()
	ctx := context.Background()
	city, err := tracker.CityBySlug(ctx, "agadir")
	if err != nil {
		t.Fatal(err)
	}
	campaign, err := tracker.CurrentCampaign(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var jpg []byte
	if withPhoto {
		img := image.NewRGBA(image.Rect(0, 0, 8, 8))
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, nil); err != nil {
			t.Fatal(err)
		}
		if jpg, err = photo.Process(&buf, "image/jpeg"); err != nil {
			t.Fatal(err)
		}
	}
	st := &models.Story{
		CityID: city.ID, CampaignID: campaign.ID, Title: title, Body: "What I learned at the library, week after week.",
		DisplayName: "Amina", AgeGroup: models.AgeAdults, PublicationConsent: true, ContactEmail: "amina@private.example",
	}
	code, err := tracker.CreateStory(ctx, st, jpg)
	if err != nil {
		t.Fatal(err)
	}
	return st, code
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// freeAddr is a loopback address with a port free for a server.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitForServer waits up to two minutes for the server at addr to answer.
func waitForServer(t *testing.T, addr string) {
	t.Helper()
	for range 1200 {
		res, err := http.Get(fmt.Sprintf("http://%s/healthz", addr))
		if err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the server never answered")
}

// TestServeLinksFromBaseURL: feeds link to TRACKER_BASE_URL whatever Host
// a client sends; a base URL that is not one refuses to start.
func TestServeLinksFromBaseURL(t *testing.T) {
	addr := freeAddr(t)
	getenv := testEnv(t, map[string]string{"TRACKER_ADDR": addr, "TRACKER_BASE_URL": "https://tracker.example.org"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	}()
	waitForServer(t, addr)
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/stories/feed.atom", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "evil.example"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(string(body), `href="https://tracker.example.org/stories/feed.atom"`) || strings.Contains(string(body), "evil.example") {
		t.Errorf("feed links:\n%s", body)
	}
	bad := testEnv(t, map[string]string{"TRACKER_ADDR": freeAddr(t), "TRACKER_BASE_URL": "tracker.example.org"})
	if _, err := runCmd(t, bad, "", "serve"); err == nil || !strings.Contains(err.Error(), "base URL") {
		t.Errorf("serve with a bad base URL: err = %v", err)
	}
}

// TestUsageNamesEverySetting checks that the usage text names the
// environment variable of every setting's flag.
func TestUsageNamesEverySetting(t *testing.T) {
	var s settings
	fs := flag.NewFlagSet("tracker", flag.ContinueOnError)
	s.flags(fs, func(string) string { return "" })
	name := regexp.MustCompile(`\b(TRACKER_[A-Z0-9_]+|DATABASE_URL)\b`)
	fs.VisitAll(func(f *flag.Flag) {
		for _, v := range name.FindAllString(f.Usage, -1) {
			if !strings.Contains(usage, "  "+v+" ") {
				t.Errorf("the usage text does not name %s (flag -%s)", v, f.Name)
			}
		}
	})
}

// TestSecretKey: without TRACKER_SECRET_KEY, a key is made into the data
// directory (0600) and kept; two-factor secrets are sealed with it, and a
// start with a wrong key fails, naming the setting; after a rotation with
// TRACKER_SECRET_KEY_PREVIOUS, the new key alone opens them.
func TestSecretKey(t *testing.T) {
	base := testEnv(t, nil)
	keyFile := filepath.Join(base("TRACKER_DATA_DIR"), "secret.key")
	if _, err := runCmd(t, base, "a very long password\n", "user", "add", "-email", "staff@example.org", "-name", "S", "-role", "staff"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode %v", info.Mode().Perm())
	}
	made, err := os.ReadFile(keyFile)
	must(t, err)
	oldKey := strings.TrimSpace(string(made))
	if _, err := store.ParseSecretKey(oldKey); err != nil {
		t.Fatal(err)
	}

	// Turn two-factor sign-in on with the key of the file.
	tracker := openTestStore(t, base)
	users, err := tracker.Users(context.Background(), models.UserFilter{Role: models.RoleStaff})
	must(t, err)
	u := &users[0]
	key, err := store.NewTOTPKey(u, "test")
	must(t, err)
	code, err := totp.GenerateCode(key.Secret(), time.Now())
	must(t, err)
	_, err = tracker.EnableTwoFactor(context.Background(), u, key.Secret(), code)
	must(t, err)
	tracker.Close()
	if again, _ := os.ReadFile(keyFile); string(again) != string(made) {
		t.Error("the key file changed")
	}

	with := func(vars map[string]string) env {
		return func(k string) string {
			if v, ok := vars[k]; ok {
				return v
			}
			return base(k)
		}
	}
	newKey := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	if _, err := runCmd(t, with(map[string]string{"TRACKER_SECRET_KEY": newKey}), "", "migrate"); err == nil || !strings.Contains(err.Error(), "TRACKER_SECRET_KEY") {
		t.Fatalf("a wrong key: err = %v", err)
	}
	if _, err := runCmd(t, with(map[string]string{"TRACKER_SECRET_KEY": "short"}), "", "migrate"); err == nil || !strings.Contains(err.Error(), "TRACKER_SECRET_KEY") {
		t.Fatalf("a malformed key: err = %v", err)
	}
	out, err := runCmd(t, with(map[string]string{"TRACKER_SECRET_KEY": newKey, "TRACKER_SECRET_KEY_PREVIOUS": oldKey}), "", "migrate")
	if err != nil || !strings.Contains(out, "Encrypted 1 two-factor secrets") {
		t.Fatalf("rotation: %v\n%s", err, out)
	}
	rotated := openTestStore(t, with(map[string]string{"TRACKER_SECRET_KEY": newKey}))
	next, err := totp.GenerateCode(key.Secret(), time.Now().Add(30*time.Second))
	must(t, err)
	if err := rotated.CheckSecondFactor(context.Background(), u, next, "attempt", "192.0.2.1"); err != nil {
		t.Errorf("sign-in after the rotation: %v", err)
	}
	// The file's key alone no longer opens it.
	if _, err := runCmd(t, base, "", "migrate"); err == nil {
		t.Error("the former key still opens the secrets")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
