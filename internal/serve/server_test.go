package serve

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/funnel-report/funnel/internal/build"

	"github.com/funnel-report/funnel/internal/testproject"
)

// testServer is a running Server and the way to stop it.
type testServer struct {
	*Server
	url    string
	client *http.Client
	stop   func() error
}

func startServer(t testing.TB, o Options) *testServer {
	t.Helper()
	o.Bind, o.Port, o.Quiet = "127.0.0.1", 0, true
	if o.Stdout == nil {
		o.Stdout, o.Stderr = io.Discard, io.Discard
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	ts := &testServer{Server: s, url: s.URL(), client: &http.Client{
		Timeout:       waitTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	stopped := false
	ts.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			ts.client.CloseIdleConnections()
			return err
		case <-time.After(waitTimeout):
			t.Fatal("server did not stop")
			return nil
		}
	}
	t.Cleanup(func() { _ = ts.stop() })
	return ts
}

// get fetches a site path and returns the status and body.
func (ts *testServer) get(t testing.TB, p string) (int, string) {
	t.Helper()
	resp, err := ts.client.Get(ts.url + strings.TrimPrefix(p, "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// page fetches a path that must exist.
func (ts *testServer) page(t testing.TB, p string) string {
	t.Helper()
	code, body := ts.get(t, p)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200", p, code)
	}
	return body
}

// eventStream reads a live-reload stream.
type eventStream struct {
	ts     *testServer
	body   io.Closer
	events chan string // the data of each reload event
	done   chan struct{}
}

// openEvents connects to the reload stream and returns once the server
// has subscribed it (the "retry" preamble arrived).
func (ts *testServer) openEvents(t testing.TB) *eventStream {
	t.Helper()
	return ts.openEventsFor(t, "")
}

// openEventsFor is openEvents for a stream that says it shows page, as
// reload.js's does.
func (ts *testServer) openEventsFor(t testing.TB, page string) *eventStream {
	t.Helper()
	req, err := http.NewRequest("GET", ts.url+"__funnel/events?page="+url.QueryEscape(page), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{}).Do(req) // no timeout: the stream stays open
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	if line, err := r.ReadString('\n'); err != nil || line != "retry: 1000\n" {
		t.Fatalf("stream preamble %q, %v", line, err)
	}
	es := &eventStream{ts: ts, body: resp.Body, events: make(chan string, 64), done: make(chan struct{})}
	go func() {
		defer close(es.done)
		event := ""
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "reload":
				es.events <- strings.TrimPrefix(line, "data: ")
			case line == "":
				event = ""
			}
		}
	}()
	t.Cleanup(func() { es.close() })
	return es
}

func (es *eventStream) close() {
	es.body.Close()
	<-es.done
}

// reload waits for the next reload event, then for the build that sent
// it to end (its later stages' events are taken too), and returns the
// first event's data.
func (es *eventStream) reload(t testing.TB) string {
	t.Helper()
	first := es.next(t)
	es.settle(t, first)
	return first
}

// next waits for the next reload event and returns its data.
func (es *eventStream) next(t testing.TB) string {
	t.Helper()
	select {
	case v := <-es.events:
		return v
	case <-time.After(waitTimeout):
		t.Fatal("no reload event")
		return ""
	}
}

// settle waits for the build under way to end and takes its events up
// to the last one; last is the data of the last event taken so far.
func (es *eventStream) settle(t testing.TB, last string) {
	t.Helper()
	st := es.ts.settled(t)
	want := es.ts.versionOf(st)
	for !strings.Contains(last, `"v":"`+want+`"`) {
		last = es.next(t)
	}
}

// settled waits until no stage of a build is pending and returns that
// state.
func (ts *testServer) settled(t testing.TB) *state {
	t.Helper()
	st := ts.state.Load()
	for len(st.pending) > 0 {
		select {
		case <-st.next:
			st = ts.state.Load()
		case <-time.After(waitTimeout):
			t.Fatal("the build did not end")
		}
	}
	return st
}

func writeProject(t testing.TB, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readProject(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func expectIn(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func expectNotIn(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s contains %q", what, w)
		}
	}
}

// TestServeLiveReload walks through a consultant's session: every kind of
// edit reloads the browser and the next request sees it.
func TestServeLiveReload(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	es := ts.openEvents(t)

	home := ts.page(t, "/")
	expectIn(t, "home", home, "Комментарий аналитика", `<script src="/__funnel/reload.js"`)
	if !strings.HasSuffix(strings.TrimSpace(home), "</html>") || strings.Index(home, "/__funnel/reload.js") > strings.LastIndex(home, "</body>") {
		t.Error("reload script not placed before </body>")
	}

	t.Run("commentary", func(t *testing.T) {
		writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\n## Свежий вывод\n\nКомментарий консультанта.\n")
		es.reload(t)
		expectIn(t, "home", ts.page(t, "/"), "Свежий вывод", "Комментарий консультанта.")
	})

	t.Run("csv adds a period", func(t *testing.T) {
		if code, _ := ts.get(t, "/periods/2026-q1/"); code != http.StatusNotFound {
			t.Fatalf("2026-Q1 exists before the data has it: %d", code)
		}
		csv := readProject(t, dir, "data/funnel.csv") + "2026-Q1,web,Центр,4000,120,80,12,11,4,1\n"
		writeProject(t, dir, "data/funnel.csv", csv)
		es.reload(t)
		ts.page(t, "/periods/2026-q1/")
	})

	t.Run("template in a new folder", func(t *testing.T) {
		// templates/ does not exist in the project yet: a new folder tree.
		writeProject(t, dir, "templates/partials/footer.html", `<footer class="site-footer">ACME consulting</footer>`)
		es.reload(t)
		expectIn(t, "home", ts.page(t, "/"), "ACME consulting", "Свежий вывод")
		expectIn(t, "period page", ts.page(t, "/periods/2025-q3/"), "ACME consulting")
	})

	t.Run("static file added and deleted", func(t *testing.T) {
		writeProject(t, dir, "static/img/logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
		es.reload(t)
		if body := ts.page(t, "/img/logo.svg"); !strings.HasPrefix(body, "<svg") {
			t.Errorf("logo = %q", body)
		}
		if err := os.Remove(filepath.Join(dir, "static", "img", "logo.svg")); err != nil {
			t.Fatal(err)
		}
		es.reload(t)
		if code, _ := ts.get(t, "/img/logo.svg"); code != http.StatusNotFound {
			t.Errorf("deleted logo: %d, want 404", code)
		}
	})

	t.Run("commentary deleted", func(t *testing.T) {
		before := ts.page(t, "/periods/2025-q4/")
		expectIn(t, "2025-Q4", before, "Веб-канал восстанавливается")
		if err := os.Remove(filepath.Join(dir, "content", "periods", "2025-Q4.md")); err != nil {
			t.Fatal(err)
		}
		es.reload(t)
		expectNotIn(t, "2025-Q4 without commentary", ts.page(t, "/periods/2025-q4/"), "Веб-канал восстанавливается")
	})

	t.Run("broken csv keeps the last good site", func(t *testing.T) {
		good := readProject(t, dir, "data/funnel.csv")
		// A cell that is also an HTML injection attempt: the banner must
		// show it as text.
		bad := strings.Replace(good, "2024-Q1,web,Центр,5345,", `2024-Q1,web,Центр,<img src=x onerror=alert(1)>,`, 1)
		writeProject(t, dir, "data/funnel.csv", bad)
		es.reload(t)
		home := ts.page(t, "/")
		expectIn(t, "home after a bad CSV", home, `id="funnel-build-error"`, "funnel.csv:2", "&lt;img src=x onerror=alert(1)&gt;",
			"Свежий вывод", "ACME consulting") // the last good site
		expectNotIn(t, "home after a bad CSV", home, "<img src=x")
		expectIn(t, "period page after a bad CSV", ts.page(t, "/periods/2026-q1/"), `id="funnel-build-error"`)

		// An unrelated edit while the CSV is broken keeps the error.
		writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nЕщё правка.\n")
		es.reload(t)
		expectIn(t, "home after a commentary edit with a bad CSV", ts.page(t, "/"), `id="funnel-build-error"`, "Свежий вывод")

		writeProject(t, dir, "data/funnel.csv", good)
		es.reload(t)
		home = ts.page(t, "/")
		expectNotIn(t, "home after the fix", home, `id="funnel-build-error"`, "Свежий вывод")
		expectIn(t, "home after the fix", home, "Ещё правка.")
	})

	t.Run("config", func(t *testing.T) {
		cfg := readProject(t, dir, "funnel.yaml")
		writeProject(t, dir, "funnel.yaml", strings.Replace(cfg, "ХимПромСнаб — воронка B2B-клиентов", "ХимПромСнаб — новая воронка", 1))
		es.reload(t)
		expectIn(t, "home", ts.page(t, "/"), "ХимПромСнаб — новая воронка")
	})
}

// A first build that fails serves the error everywhere, and recovers.
func TestServeFailedFirstBuild(t *testing.T) {
	dir := testproject.CopyExample(t)
	good := readProject(t, dir, "data/funnel.csv")
	writeProject(t, dir, "data/funnel.csv", strings.Replace(good, "5345", "5x45", 1))
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	es := ts.openEvents(t)

	code, body := ts.get(t, "/")
	if code != http.StatusServiceUnavailable {
		t.Errorf("GET / before any good build: %d, want 503", code)
	}
	expectIn(t, "error page", body, `id="funnel-build-error"`, "funnel.csv:2", "/__funnel/reload.js")

	writeProject(t, dir, "data/funnel.csv", good)
	es.reload(t)
	expectIn(t, "home after the fix", ts.page(t, "/"), "Комментарий аналитика")
}

// The reload script exists only in serve mode: what the server keeps (and
// writes with --out) is the plain build output.
func TestServeWritesPlainOutput(t *testing.T) {
	dir := testproject.CopyExample(t)
	out := filepath.Join(t.TempDir(), "site")
	ts := startServer(t, Options{Build: build.Options{Source: dir, Out: out}, WriteOut: true})
	es := ts.openEvents(t)

	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nНа диск.\n")
	es.reload(t)
	served := ts.page(t, "/")
	disk := readProject(t, out, "index.html")
	expectIn(t, "written index.html", disk, "На диск.")
	expectNotIn(t, "written index.html", disk, "__funnel")
	if strings.Replace(served, string(ts.snippet(ts.state.Load())), "", 1) != disk {
		t.Error("served page differs from the written one by more than the reload script")
	}
	for p, data := range ts.state.Load().files {
		if strings.Contains(string(data.Data), "__funnel") {
			t.Errorf("site file %s contains the reload hook", p)
		}
	}
}

// A page loaded before a build reloads as soon as its stream connects.
func TestServeReloadsAStalePageOnConnect(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	req, _ := http.NewRequest("GET", ts.url+"__funnel/events?v=an-old-version", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before a reload: %v", err)
		}
		if line == "event: reload\n" {
			return
		}
	}
}

// rawGet sends target as the request line, unaltered by any client.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	return rawGetHost(t, addr, target, "localhost")
}

func rawGetHost(t *testing.T, addr, target, host string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, waitTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(waitTimeout))
	if _, err = io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeRefusesPathTraversal(t *testing.T) {
	dir := testproject.CopyExample(t)
	const secret = "TOP-SECRET-outside-the-site"
	writeProject(t, filepath.Dir(dir), "secret.txt", secret)
	writeProject(t, dir, "secret.txt", secret)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	addr := ts.ln.Addr().String()

	for _, target := range []string{
		"/../secret.txt", "/../../secret.txt", "/assets/../../secret.txt",
		"/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
		"/..%5csecret.txt", "/%5c..%5csecret.txt", "/assets%5c..%5c..%5csecret.txt", `/..\secret.txt`,
		"/assets/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt", "/secret.txt", "/data/stage_metrics.csv",
		"/funnel.yaml", "//etc/passwd", "/etc/passwd", "/%2fetc%2fpasswd", "http://localhost/../secret.txt",
		"/C:/Windows/win.ini", "/%00", "/index.html%00.txt", "/.funnel-site", "/./index.html",
	} {
		code, body := rawGet(t, addr, target)
		if code != http.StatusNotFound && code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 404 or 400", target, code)
		}
		// The secret, a data file of the project, the config: none may leak
		// (data/funnel.csv is the site's own export, so another file is used).
		if strings.Contains(body, secret) || strings.Contains(body, "period;channel;region;metric;value") || strings.Contains(body, "deal_value:") {
			t.Errorf("GET %s: served a file outside the site", target)
		}
	}
}

func TestServeFoldersAndTypes(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	tests := []struct {
		path, wantType string
		wantCode       int
		location       string
	}{
		{"/", "text/html; charset=utf-8", 200, ""},
		{"/index.html", "text/html; charset=utf-8", 200, ""},
		{"/periods/2025-q3/", "text/html; charset=utf-8", 200, ""},
		{"/periods/2025-q3", "", 301, "/periods/2025-q3/"},
		{"/periods/2025-q3?x=1", "", 301, "/periods/2025-q3/?x=1"},
		{"/assets/", "text/html; charset=utf-8", 404, ""}, // no listings
		{"/assets/site.css", "text/css; charset=utf-8", 200, ""},
		{"/assets/echarts.min.js", "text/javascript; charset=utf-8", 200, ""},
		{"/__funnel/reload.js", "text/javascript; charset=utf-8", 200, ""},
	}
	for _, tt := range tests {
		resp, err := ts.client.Get(ts.url + strings.TrimPrefix(tt.path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode {
			t.Errorf("GET %s: %d, want %d", tt.path, resp.StatusCode, tt.wantCode)
		}
		if tt.wantType != "" && resp.Header.Get("Content-Type") != tt.wantType {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, resp.Header.Get("Content-Type"), tt.wantType)
		}
		if resp.Header.Get("Location") != tt.location {
			t.Errorf("GET %s: Location %q, want %q", tt.path, resp.Header.Get("Location"), tt.location)
		}
	}
	req, _ := http.NewRequest("POST", ts.url, nil)
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", resp.StatusCode)
	}
}

func TestServeBindsLoopbackByDefault(t *testing.T) {
	dir := testproject.CopyExample(t)
	s, err := New(Options{Build: build.Options{Source: dir}, Quiet: true, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Skipf("port 1313 busy here: %v", err)
	}
	defer s.Close()
	host, _, _ := net.SplitHostPort(s.ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		t.Errorf("default bind %s is not loopback", host)
	}
}

// Stopping the server ends every goroutine it started, open event streams
// included.
func TestServeStopsCleanly(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	es := ts.openEvents(t)
	ts.page(t, "/")
	writeProject(t, dir, "content/_index.md", "x\n")
	es.reload(t)

	if err := ts.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	select {
	case <-es.done: // the server ended the stream
	case <-time.After(waitTimeout):
		t.Fatal("event stream still open after shutdown")
	}
	es.close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(waitTimeout)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after stop, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := http.Get(ts.url); err == nil {
		t.Error("server still answers after stop")
	}
}

// A page on another site whose name was rebound to 127.0.0.1 cannot read
// the report.
func TestServeRefusesForeignHosts(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}})
	addr := ts.ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		host string
		want int
	}{
		{"localhost", 200},
		{"localhost:" + port, 200},
		{"127.0.0.1:" + port, 200},
		{"[::1]:" + port, 200},
		{"report.localhost", 200},
		{"evil.example", 403},
		{"evil.example:" + port, 403},
		{"10.0.0.5", 403},
	}
	for _, tt := range tests {
		for _, target := range []string{"/", "/__funnel/reload.js"} {
			if code, _ := rawGetHost(t, addr, target, tt.host); code != tt.want {
				t.Errorf("GET %s with Host %s: %d, want %d", target, tt.host, code, tt.want)
			}
		}
	}
}

// --poll drives the same loop without file system events.
func TestServePolling(t *testing.T) {
	dir := testproject.CopyExample(t)
	ts := startServer(t, Options{Build: build.Options{Source: dir}, Poll: 20 * time.Millisecond})
	es := ts.openEvents(t)
	writeProject(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nНа сетевом диске.\n")
	es.reload(t)
	expectIn(t, "home", ts.page(t, "/"), "На сетевом диске.")
}

// --open runs the desktop's opener with the site's URL; without one,
// serve still runs.
func TestServeOpensTheBrowser(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake opener is a shell script")
	}
	bin := t.TempDir()
	opened := filepath.Join(bin, "opened")
	script := "#!/bin/sh\necho \"$1\" > " + opened + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	ts := startServer(t, Options{Build: build.Options{Source: testproject.CopyExample(t)}, Open: true})
	deadline := time.Now().Add(waitTimeout)
	for {
		b, err := os.ReadFile(opened)
		if err == nil && strings.TrimSpace(string(b)) == ts.url {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("xdg-open never got %s (%q, %v)", ts.url, b, err)
		}
		time.Sleep(10 * time.Millisecond)
	}

	t.Setenv("PATH", t.TempDir()) // no opener at all
	ts = startServer(t, Options{Build: build.Options{Source: testproject.CopyExample(t)}, Open: true})
	ts.page(t, "/")
}
