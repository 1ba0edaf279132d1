// Package skipgroup lets a test skip because a machine lacks an outside
// tool (a browser, a database server, PDF tools) without skipping in
// silence. A skip logs one standard line,
//
//	SKIP-GROUP: <group>: <how to enable>
//
// which `make test` collects from the go test -json stream (cached runs
// replay it too) and lists in its last lines. When the group's Require
// variable is set (.ci/run sets them all), the skip is a failure instead,
// so a green CI means the group ran.
package skipgroup

import (
	"os"
	"testing"
)

// Marker starts the line a skip logs; internal/tools/testreport looks for it.
const Marker = "SKIP-GROUP: "

// Group is a set of tests that need the same outside tool.
type Group struct {
	Name    string // short, shown in the summary: "browser"
	Require string // environment variable that turns a skip into a failure
	Enable  string // what a developer installs or sets to run the group
}

// The groups the repository's tests use. A test that needs something else
// declares its own Group value the same way.
var (
	Browser = Group{
		Name:    "browser",
		Require: "FUNNEL_REQUIRE_BROWSER",
		Enable:  "install chromium (Debian: apt-get install chromium) or set $CHROMIUM",
	}
	PDF = Group{
		Name:    "PDF tools",
		Require: "FUNNEL_REQUIRE_PDF",
		Enable:  "install poppler-utils (pdftotext, pdfinfo)",
	}
	DB = Group{
		Name:    "database servers",
		Require: "FUNNEL_REQUIRE_DB",
		Enable:  "install postgresql and clickhouse-server (Debian packages)",
	}
)

// Required reports whether this run must not skip the group.
func (g Group) Required() bool { return os.Getenv(g.Require) != "" }

// Line is the line a skip of the group logs.
func (g Group) Line() string {
	return Marker + g.Name + ": " + g.Enable + "; " + g.Require + "=1 makes a skip fail"
}

// Skip skips t, saying why (reason) and how to enable the group, or fails
// it when the group is required. It does not return.
func (g Group) Skip(t testing.TB, reason string) {
	t.Helper()
	if g.Required() {
		t.Fatalf("%s is set, but %s (%s)", g.Require, reason, g.Enable)
	}
	t.Log(g.Line())
	t.Skip(reason)
}
