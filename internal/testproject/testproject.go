// Package testproject writes whole report projects, given inline as txtar
// archives, into temporary folders for tests (hugo's integration tests do
// the same): one readable string holds funnel.yaml, data/ and content/.
// It is also the one place tests find and load the worked example.
package testproject

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/funnel-report/funnel/internal/config"
	"github.com/funnel-report/funnel/internal/dataset"
)

// Write creates the files of archive under a new temporary folder and
// returns the folder.
func Write(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	WriteInto(t, dir, archive)
	return dir
}

// WriteInto creates the files of archive under dir, replacing any there.
func WriteInto(t testing.TB, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Root is the repository root (the worked example project), found from
// the calling test's working directory.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// CopyExample copies the worked example (the repository root's
// funnel.yaml, data/ and content/) into a new temporary folder, for tests
// that edit a project.
func CopyExample(t testing.TB) string {
	t.Helper()
	root := Root(t)
	dir := t.TempDir()
	for _, name := range []string{"data", "content"} {
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(filepath.Join(root, name))); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(root, "funnel.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "funnel.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ExampleTable loads the worked example at the repository root as the
// build does: its config and its data as one table. Tests that analyse
// the example call analysis.Analyze on it (analysis's own tests cannot
// import a package that imports analysis, so this stops at the table).
func ExampleTable(t testing.TB) (*dataset.Table, *config.Config) {
	t.Helper()
	root := Root(t)
	cfg, err := config.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := dataset.Load(os.DirFS(root), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tb, cfg
}
