package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
}

// TestBackupRestoreDrill backs up a live database, restores the copy as
// the database of a new server, and finds the data there, erasures kept.
func TestBackupRestoreDrill(t *testing.T) {
	getenv := testEnv(t, nil)
	if _, err := runCmd(t, getenv, "", "seed"); err != nil {
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
	// Restore: the copy becomes the database of another data directory.
	restored := testEnv(t, map[string]string{"DATABASE_URL": out})
	got, err = runCmd(t, restored, "", "migrate")
	if err != nil || !strings.Contains(got, out) {
		t.Fatalf("migrate the restored copy: %v\n%s", err, got)
	}
	if got, err := runCmd(t, restored, "", "seed"); err == nil || !strings.Contains(err.Error(), "already has data") {
		t.Fatalf("the restored copy looks empty: %v\n%s", err, got)
	}
}
