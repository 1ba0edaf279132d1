//go:build linux

package serve

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/skipgroup"

	"github.com/funnel-report/funnel/internal/testproject"
)

// TestBrowserReloadsOnSave opens the served site in headless Chromium and
// watches, from the server side, the browser run the reload script,
// subscribe, and fetch the page again after a commentary save.
func TestBrowserReloadsOnSave(t *testing.T) {
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		var err error
		if chromium, err = exec.LookPath("chromium"); err != nil {
			skipgroup.Browser.Skip(t, "no chromium on PATH and no $CHROMIUM for the live-reload test")
		}
	}
	dir := testproject.CopyExample(t)
	s, err := New(Options{Build: build.Options{Source: dir}, Bind: "127.0.0.1", Quiet: true, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	requests := make(chan string, 256)
	inner := s.http.Handler
	s.http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case requests <- r.URL.RequestURI():
		default:
		}
		inner.ServeHTTP(w, r)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-port=0", s.URL())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers die with it
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	}()

	const browserTimeout = 60 * time.Second // Chromium starts slowly on a loaded machine
	await := func(what string, match func(string) bool) string {
		t.Helper()
		timeout := time.After(browserTimeout)
		for {
			select {
			case uri := <-requests:
				if match(uri) {
					return uri
				}
			case <-timeout:
				t.Fatalf("browser never requested %s", what)
			}
		}
	}
	first := s.versionOf(s.state.Load())
	await("the reload stream of the first build", func(u string) bool { return u == eventsPath+"?v="+first })

	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nПравка из браузерного теста.\n")
	await("the page again", func(u string) bool { return u == "/" })
	second := await("the reload stream of the new build", func(u string) bool { return strings.HasPrefix(u, eventsPath+"?v=") })
	if second == eventsPath+"?v="+first {
		t.Errorf("after the reload the page still carries the first version %s", first)
	}
}
