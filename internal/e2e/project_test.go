package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/build"
)

// exampleRoot is the repository root, which is the worked example project.
const exampleRoot = "../.."

// buildExample builds the worked example into a fresh folder and returns it.
func buildExample(t testing.TB) string {
	t.Helper()
	return buildInto(t, build.Options{Source: exampleRoot})
}

// buildInto builds o into a fresh temporary output folder and returns it.
func buildInto(t testing.TB, o build.Options) string {
	t.Helper()
	o.Out = filepath.Join(t.TempDir(), "public")
	if _, err := build.Run(o); err != nil {
		t.Fatalf("build %s: %v", o.Source, err)
	}
	return o.Out
}

// writeProject writes files (slash paths → content) into a new folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sitePages lists the HTML pages of a built site, slash paths, sorted.
func sitePages(t *testing.T, out string) []string {
	t.Helper()
	pages := siteFiles(t, out, ".html")
	if len(pages) == 0 {
		t.Fatalf("%s: no pages built", out)
	}
	return pages
}

// siteFiles lists the files of a built site whose names end in ext ("" for
// all), slash paths relative to out, sorted.
func siteFiles(t *testing.T, out, ext string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ext) {
			return err
		}
		rel, err := filepath.Rel(out, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// snapshot reads every file of a folder (nil if it does not exist), to
// prove a failed build left it byte-identical.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	files := map[string]string{}
	for _, f := range siteFiles(t, dir, "") {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	return files
}
