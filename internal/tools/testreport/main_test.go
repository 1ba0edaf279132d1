package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/testproject"
)

// TestRealSkipIsListed runs go test -json on internal/skipgroup's demo
// test (which skips as the group "demo tool") and checks the report says
// ok for the package and lists the group with how to enable it.
func TestRealSkipIsListed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	cmd := exec.Command("go", "test", "-json", "-run", "^TestSkipDemo$", "./internal/skipgroup")
	cmd.Dir = testproject.Root(t)
	cmd.Env = append(os.Environ(), "SKIPGROUP_TEST_CHILD=1", "SKIPGROUP_TEST_REQUIRE=")
	events, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test: %v", err)
	}
	var out, errs bytes.Buffer
	if code := run(nil, bytes.NewReader(events), &out, &errs); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errs.String())
	}
	got := out.String()
	for _, want := range []string{
		"ok  \tgithub.com/funnel-report/funnel/internal/skipgroup",
		"SKIPPED 1 group(s) of tests",
		"  demo tool: 1 test in internal/skipgroup\n",
		"    to run them: install the demo tool; SKIPGROUP_TEST_REQUIRE=1 makes a skip fail\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if i, j := strings.Index(got, "ok  "), strings.Index(got, "SKIPPED"); i > j {
		t.Errorf("the summary is not last:\n%s", got)
	}
}

// Events as go test -json writes them: two packages, one with two browser
// skips and a failure, one with a PDF skip; then a cached replay.
const events = `{"Action":"start","Package":"example/a"}
{"Action":"run","Package":"example/a","Test":"TestBrowserOne"}
{"Action":"output","Package":"example/a","Test":"TestBrowserOne","Output":"=== RUN   TestBrowserOne\n"}
{"Action":"output","Package":"example/a","Test":"TestBrowserOne","Output":"    b_test.go:9: SKIP-GROUP: browser: install chromium; FUNNEL_REQUIRE_BROWSER=1 makes a skip fail\n"}
{"Action":"output","Package":"example/a","Test":"TestBrowserOne","Output":"--- SKIP: TestBrowserOne (0.00s)\n"}
{"Action":"skip","Package":"example/a","Test":"TestBrowserOne"}
{"Action":"output","Package":"example/a","Test":"TestBrowserTwo","Output":"    b_test.go:10: SKIP-GROUP: browser: install chromium; FUNNEL_REQUIRE_BROWSER=1 makes a skip fail\n"}
{"Action":"skip","Package":"example/a","Test":"TestBrowserTwo"}
{"Action":"output","Package":"example/a","Test":"TestSum","Output":"=== RUN   TestSum\n"}
{"Action":"output","Package":"example/a","Test":"TestSum","Output":"    a_test.go:5: sum is 3, want 4\n"}
{"Action":"output","Package":"example/a","Test":"TestSum","Output":"--- FAIL: TestSum (0.00s)\n"}
{"Action":"fail","Package":"example/a","Test":"TestSum"}
{"Action":"output","Package":"example/a","Output":"FAIL\n"}
{"Action":"output","Package":"example/a","Output":"FAIL\texample/a\t0.01s\n"}
{"Action":"fail","Package":"example/a"}
{"Action":"output","Package":"example/b","Test":"TestPDF","Output":"    p_test.go:3: SKIP-GROUP: PDF tools: install poppler-utils; FUNNEL_REQUIRE_PDF=1 makes a skip fail\n"}
{"Action":"skip","Package":"example/b","Test":"TestPDF"}
{"Action":"output","Package":"example/b","Output":"PASS\n"}
{"Action":"output","Package":"example/b","Output":"ok  \texample/b\t(cached)\n"}
{"Action":"pass","Package":"example/b"}
{"ImportPath":"example/c [example/c.test]","Action":"build-output","Output":"c.go:3:1: syntax error\n"}
{"ImportPath":"example/c [example/c.test]","Action":"build-fail"}
`

func TestReportFromEvents(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(nil, strings.NewReader(events), &out, &errs)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a failed test", code)
	}
	want := `=== RUN   TestSum
    a_test.go:5: sum is 3, want 4
--- FAIL: TestSum (0.00s)
FAIL	example/a	0.01s
ok  	example/b	(cached)
SKIPPED 2 group(s) of tests; this run did not test them:
  browser: 2 tests in example/a
    to run them: install chromium; FUNNEL_REQUIRE_BROWSER=1 makes a skip fail
  PDF tools: 1 test in example/b
    to run them: install poppler-utils; FUNNEL_REQUIRE_PDF=1 makes a skip fail
`
	if out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), want)
	}
	if !strings.Contains(errs.String(), "c.go:3:1: syntax error") {
		t.Errorf("build error not shown: %q", errs.String())
	}
}

// TestRecordThenSummary: two recorded runs (unit tests and benchmarks) end
// in one summary.
func TestRecordThenSummary(t *testing.T) {
	file := filepath.Join(t.TempDir(), "skips")
	var out, errs bytes.Buffer
	run([]string{"-record", file}, strings.NewReader(events), &out, &errs)
	if strings.Contains(out.String(), "SKIPPED") {
		t.Errorf("-record listed the skips:\n%s", out.String())
	}
	bench := `{"Action":"output","Package":"example/d","Test":"BenchmarkX","Output":"    x_test.go:3: SKIP-GROUP: database servers: install postgresql; FUNNEL_REQUIRE_DB=1 makes a skip fail\n"}` + "\n"
	run([]string{"-record", file}, strings.NewReader(bench), &out, &errs)
	out.Reset()
	if code := run([]string{"-summary", file}, nil, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	for _, want := range []string{"SKIPPED 3 group(s)", "browser: 2 tests", "PDF tools: 1 test", "database servers: 1 test in example/d"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestNothingSkipped(t *testing.T) {
	var out bytes.Buffer
	run([]string{"-summary", filepath.Join(t.TempDir(), "none")}, nil, &out, &out)
	if !strings.HasPrefix(out.String(), "skipped groups: none") {
		t.Errorf("got %q", out.String())
	}
}
