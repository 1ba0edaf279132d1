package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/site"
	"github.com/funnel-report/funnel/internal/testproject"
)

// With prerendering, every chart container holds its SVG, and a warm
// build (SVGs read from .funnel-cache/) gives the same bytes as the cold
// one that drew them.
func TestPrerenderIsDeterministicAndCached(t *testing.T) {
	src := testproject.CopyExample(t)
	cold, err := Run(Options{Source: src, Out: filepath.Join(t.TempDir(), "a"), Prerender: true})
	if err != nil {
		t.Fatal(err)
	}
	warm, err := Run(Options{Source: src, Out: filepath.Join(t.TempDir(), "b"), Prerender: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cold.Files) != len(warm.Files) {
		t.Fatalf("%d files cold, %d warm", len(cold.Files), len(warm.Files))
	}
	charts, svgs := 0, 0
	for i, f := range cold.Files {
		data := fileBytes(t, f)
		if !bytes.Equal(data, fileBytes(t, warm.Files[i])) {
			t.Errorf("%s differs between the cold and the warm build", f.Path)
		}
		if strings.HasSuffix(f.Path, ".html") {
			charts += bytes.Count(data, []byte(`<div class="chart" id="`))
			svgs += bytes.Count(data, []byte(`<svg width="640"`))
		}
	}
	if charts == 0 || svgs != charts {
		t.Errorf("%d charts, %d SVGs: want one SVG per chart", charts, svgs)
	}
	// Without prerendering the pages have no SVG.
	plain, err := Run(Options{Source: src, Out: filepath.Join(t.TempDir(), "c")})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plain.Files {
		if strings.HasSuffix(f.Path, ".html") && bytes.Contains(fileBytes(t, f), []byte("<svg width=")) {
			t.Errorf("%s has an SVG chart without --prerender", f.Path)
		}
	}
}

// fileBytes is a file's content, in memory or on disk (Run's pages and
// downloads are in the site it wrote).
func fileBytes(t *testing.T, f site.File) []byte {
	t.Helper()
	if f.Src == "" {
		return f.Data
	}
	data, err := os.ReadFile(f.Src)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
