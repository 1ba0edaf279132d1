package serve

import (
	"context"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/testenv"
)

// The refresh key: with a database source, every served page carries it.
// serve answers the source from .funnel-cache/ (an unrelated edit does not
// reach the database) until the key is pressed; then it queries again,
// rebuilds and reloads the browsers. Only a POST with the X-Funnel header
// is taken, so no other web page can press it.
func TestServeRefreshKey(t *testing.T) {
	pg := testenv.StartPostgres(t, "pw-Refresh-9c1")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(q string) {
		t.Helper()
		if _, xerr := conn.Exec(ctx, q); xerr != nil {
			t.Fatalf("%s: %v", q, xerr)
		}
	}
	exec(`CREATE TABLE leads (id text, created date, won date)`)
	exec(`INSERT INTO leads SELECT 'a' || n, DATE '2025-01-01' + n % 28, NULL FROM generate_series(1, 37) AS n`)
	t.Setenv("FUNNEL_TEST_PG_DSN", pg.DSN())

	dir := t.TempDir()
	writeProject(t, dir, "funnel.yaml", `title: Refresh
language: en
steps: [{id: lead}, {id: won}]
sources:
  - name: crm
    driver: postgres
    dsn: ${FUNNEL_TEST_PG_DSN}
    query: SELECT id, created, won FROM leads
    kind: records
    records: {id: id, steps: {lead: created, won: won}, granularity: month}
`)
	ts := startServer(t, Options{Build: build.Options{Source: dir, UseCache: true}})
	es := ts.openEvents(t)
	leads := func() string {
		t.Helper()
		page := ts.page(t, "/data/")
		expectIn(t, "data page", page, `id="funnel-refresh"`)
		m := regexp.MustCompile(`Jan 2025</a></th>\s*<td[^>]*>([0-9,]+)</td>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no January row on the data page:\n%s", page)
		}
		return m[1]
	}
	if got := leads(); got != "37" {
		t.Fatalf("January leads %s, want 37", got)
	}

	exec(`INSERT INTO leads SELECT 'b' || n, DATE '2025-01-01' + n % 28, NULL FROM generate_series(1, 5) AS n`)
	writeProject(t, dir, "content/_index.md", "Commentary.\n")
	es.reload(t)
	if got := leads(); got != "37" {
		t.Errorf("after an unrelated edit January has %s leads: the database was asked again", got)
	}

	for _, c := range []struct {
		method, header string
		want           int
	}{{http.MethodGet, "refresh", http.StatusMethodNotAllowed}, {http.MethodPost, "", http.StatusForbidden}} {
		req, _ := http.NewRequest(c.method, ts.url+"__funnel/refresh", nil)
		if c.header != "" {
			req.Header.Set("X-Funnel", c.header)
		}
		resp, derr := ts.client.Do(req)
		if derr != nil {
			t.Fatal(derr)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s %q: %d, want %d", c.method, c.header, resp.StatusCode, c.want)
		}
	}

	req, _ := http.NewRequest(http.MethodPost, ts.url+"__funnel/refresh", nil)
	req.Header.Set("X-Funnel", "refresh")
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("refresh: %d", resp.StatusCode)
	}
	es.reload(t)
	if got := leads(); got != "42" {
		t.Errorf("after the refresh key January has %s leads, want 42", got)
	}

	// The key in a browser: a click queries again, and the page reloads
	// by itself with the new answers.
	exec(`INSERT INTO leads SELECT 'c' || n, DATE '2025-01-01' + n % 28, NULL FROM generate_series(1, 5) AS n`)
	clickRefreshInBrowser(t, ts.url+"data/", `/Jan 2025\s+47\b/.test(document.body.innerText)`)

	// A project without database sources has no key.
	plain := t.TempDir()
	writeProject(t, plain, "data/funnel.csv", "period,leads,deals\n2025-Q1,10,3\n")
	other := startServer(t, Options{Build: build.Options{Source: plain, UseCache: true}})
	expectNotIn(t, "a CSV project's home", other.page(t, "/"), `id="funnel-refresh"`)
}

// clickRefreshInBrowser opens page in headless Chromium, presses the
// refresh key and waits until a reloaded page (not the one clicked)
// satisfies the JavaScript predicate done.
func clickRefreshInBrowser(t *testing.T, page, done string) {
	bctx := newChromium(t)
	ctx, cancel := context.WithTimeout(bctx, time.Minute)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible("#funnel-refresh"))
	if err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	// The mark is gone once the page has been reloaded.
	if _, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.clickedHere = true; document.getElementById("funnel-refresh").click(); true`)); err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil {
		// Evaluating fails while the page is being replaced: ask again.
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!window.clickedHere && ("+done+")")); err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("the page did not reload with the new answers after the refresh key was clicked")
}
