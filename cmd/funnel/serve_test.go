package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/testproject"
)

// lockedBuffer is written by the command and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls the output until re matches it.
func waitFor(t *testing.T, out *lockedBuffer, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("output never matched %s:\n%s", re, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runAsync runs the CLI until the returned stop is called; stop returns
// the exit code.
func runAsync(args ...string) (stdout, stderr *lockedBuffer, stop func() int) {
	stdout, stderr = &lockedBuffer{}, &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() { code <- run(ctx, args, stdout, stderr) }()
	return stdout, stderr, func() int { cancel(); return <-code }
}

func TestServeCommand(t *testing.T) {
	dir := testproject.CopyExample(t)
	stdout, stderr, stop := runAsync("serve", "--source", dir, "--port", "0")
	url := waitFor(t, stdout, regexp.MustCompile(`on (http://127\.0\.0\.1:\d+/)`))[1]
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/__funnel/reload.js") {
		t.Errorf("GET %s: %d, reload script present %v", url, resp.StatusCode, strings.Contains(string(body), "/__funnel/reload.js"))
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

func TestServeCommandUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--help"}, exitOK, "--poll"},
		{[]string{"serve", "--port", "x"}, exitUsage, "invalid value"},
		{[]string{"serve", "extra"}, exitUsage, "unexpected argument"},
		{[]string{"serve", "--source", "/nonexistent/funnel-project", "--port", "0"}, exitError, "error: "},
		{[]string{"build", "--help"}, exitOK, "--watch"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), tt.args, &stdout, &stderr); code != tt.code || !strings.Contains(stderr.String()+stdout.String(), tt.want) {
			t.Errorf("funnel %v: exit %d (want %d), output lacks %q:\n%s%s", tt.args, code, tt.code, tt.want, stdout.String(), stderr.String())
		}
	}
}

func TestBuildWatchCommand(t *testing.T) {
	dir := testproject.CopyExample(t)
	out := filepath.Join(t.TempDir(), "site")
	stdout, stderr, stop := runAsync("build", "--watch", "--source", dir, "--out", out)
	waitFor(t, stdout, regexp.MustCompile(`watching`))
	if err := os.WriteFile(filepath.Join(dir, "content", "_index.md"), []byte("---\ntitle: Обзор\n---\nИз командной строки.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stdout, regexp.MustCompile(`content/_index.md: rebuilt content`))
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(out, "index.html"))
		if err == nil && strings.Contains(string(b), "Из командной строки.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("index.html never got the edit (%v)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}
