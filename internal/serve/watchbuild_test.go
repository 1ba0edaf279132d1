package serve

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/build"

	"github.com/funnel-report/funnel/internal/testproject"
)

// syncBuffer is a bytes.Buffer safe to read while Watch writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fileContains(path, want string) func() bool {
	return func() bool {
		b, err := os.ReadFile(path)
		return err == nil && strings.Contains(string(b), want)
	}
}

// build --watch: every good build is written; a bad one is reported and
// leaves the last good site on disk.
func TestWatchRewritesTheOutput(t *testing.T) {
	dir := testproject.CopyExample(t)
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, WatchConfig{Build: build.Options{Source: dir, Out: out}, Stdout: &stdout, Stderr: &stderr})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	}()
	index := filepath.Join(out, "index.html")
	eventually(t, "the first build", fileContains(index, "Комментарий аналитика"))
	eventually(t, "the watch to start", func() bool { return strings.Contains(stdout.String(), "watching") })

	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nПравка в режиме watch.\n")
	eventually(t, "the commentary on disk", fileContains(index, "Правка в режиме watch."))
	if b, _ := os.ReadFile(index); bytes.Contains(b, []byte("__funnel")) {
		t.Error("build --watch output contains the serve-mode reload script")
	}

	good := readProject(t, dir, "data/funnel.csv")
	writeProject(t, dir, "data/funnel.csv", strings.Replace(good, "5345", "5x45", 1))
	eventually(t, "the error on stderr", func() bool { return strings.Contains(stderr.String(), "funnel.csv:2") })
	if !fileContains(index, "Правка в режиме watch.")() {
		t.Error("a failed build changed the last good site")
	}
	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nПосле исправления.\n")
	writeProject(t, dir, "data/funnel.csv", good)
	eventually(t, "recovery", fileContains(index, "После исправления."))
}

func TestWatchRefusesAnOutputInsideAWatchedFolder(t *testing.T) {
	dir := testproject.CopyExample(t)
	var stdout, stderr syncBuffer
	err := Watch(context.Background(), WatchConfig{Build: build.Options{Source: dir, Out: filepath.Join(dir, "data", "site")}, Stdout: &stdout, Stderr: &stderr})
	if err == nil || !strings.Contains(err.Error(), "inside the watched project folder") {
		t.Fatalf("err = %v", err)
	}
}
