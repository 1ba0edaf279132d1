package funnel_test

import (
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// layers is the flow of docs/design.md §1 as data: every package of the
// module, by the step it belongs to. A package may import packages of its
// own step or of earlier ones, never of a later one, so the pipeline runs
// one way: input → model → pages → the program. A new package must be
// placed here (the test fails until it is), which is where its step gets
// decided. Test-only packages (e2e, bench, tools) may import anything.
var layers = []struct {
	step     string
	packages []string
}{
	{"vocabulary shared by every step", []string{
		"errpos", "period", "i18n", "htmlesc", "termsafe", "projectfs", "version", "memstat", "gcfloor", "site", "assets",
		"skipgroup", "cited", "gen",
	}},
	{"input: funnel.yaml, commentary and data into one table", []string{
		"config", "configschema", "configschema/gen", "content", "csvio", "dataset",
		"sources", "sources/text", "sources/xlsx", "sources/postgres", "sources/clickhouse", "sources/db",
	}},
	{"model: the pure analysis and its sentences", []string{
		"analysis", "findings", "export/schema",
	}},
	{"pages: which pages, how they look, what is exported", []string{
		"report", "charts", "markdown", "prerender", "render", "export", "export/exportgen", "onefile", "pdf",
	}},
	{"the program: the pipeline, watch mode, the commands", []string{
		"build", "serve", "testenv", "testproject", "cmd/funnel",
	}},
}

var testOnly = []string{"e2e", "bench", "tools/"}

func TestPackagesFollowTheFlow(t *testing.T) {
	const module = "github.com/funnel-report/funnel/"
	step := map[string]int{}
	for i, l := range layers {
		for _, p := range l.packages {
			if !strings.HasPrefix(p, "cmd/") {
				p = "internal/" + p
			}
			step[p] = i
		}
	}
	// Reading the folders makes go test's cache rerun this test when a
	// package is added (it hashes the listings of the folders a test
	// reads; go list's own reads are not seen).
	for _, root := range []string{"internal", "cmd"} {
		if err := filepath.WalkDir(root, func(string, fs.DirEntry, error) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	// go test puts its own toolchain first on PATH.
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, ok := strings.CutPrefix(fields[0], module)
		if !ok || isTestOnly(pkg) {
			continue // the root package: the embedded templates
		}
		own, placed := step[pkg]
		if !placed {
			t.Errorf("%s is in no step of the flow: add it to layers in layers_test.go and to docs/design.md §1", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			dep, ours := strings.CutPrefix(imp, module)
			if !ours {
				continue
			}
			if s, ok := step[dep]; ok && s > own {
				t.Errorf("%s (%s) imports %s (%s): the flow runs the other way", pkg, layers[own].step, dep, layers[s].step)
			}
		}
	}
}

func isTestOnly(pkg string) bool {
	for _, p := range testOnly {
		if pkg == "internal/"+strings.TrimSuffix(p, "/") || strings.HasPrefix(pkg, "internal/"+p) {
			return true
		}
	}
	return false
}
