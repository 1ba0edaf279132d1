package render_test

import (
	"bytes"
	"io/fs"
	"testing"
	"testing/fstest"

	funnel "github.com/funnel-report/funnel"
	"github.com/funnel-report/funnel/internal/build"
	"github.com/funnel-report/funnel/internal/gen"
	"github.com/funnel-report/funnel/internal/i18n"
	"github.com/funnel-report/funnel/internal/render"
	"github.com/funnel-report/funnel/internal/report"
)

// The built-in sidebar is drawn once per folder depth and listed page;
// every page still gets exactly the sidebar drawn for it alone. A project
// nav.html that differs only by a template comment draws the same HTML
// page by page (no cache): both sites must be byte-identical, on a site
// with more segment values than the sidebar lists.
func TestSidebarCacheDrawsWhatEachPageWould(t *testing.T) {
	dir := t.TempDir()
	s := gen.DesignSize()
	s.Periods, s.Values = 6, 20
	if _, err := gen.Write(dir, s); err != nil {
		t.Fatal(err)
	}
	r, err := build.Load(build.Options{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	site, err := report.Build(r.Model, nil, i18n.For(r.Model.Language).WithDims(r.Model.DimNames))
	if err != nil {
		t.Fatal(err)
	}
	nav, err := fs.ReadFile(funnel.Builtin, "templates/partials/nav.html")
	if err != nil {
		t.Fatal(err)
	}
	draw := func(project fs.FS) map[string][]byte {
		rd, err := render.New(render.Options{Project: project, Builtin: funnel.Builtin})
		if err != nil {
			t.Fatal(err)
		}
		files, err := rd.Render(site)
		if err != nil {
			t.Fatal(err)
		}
		return fileMap(files)
	}
	cached := draw(fstest.MapFS{})
	own := draw(fstest.MapFS{"templates/partials/nav.html": {Data: append([]byte("{{/* our own */}}"), nav...)}})
	if len(pages(cached)) < 70 {
		t.Fatalf("only %d pages", len(pages(cached)))
	}
	for _, p := range pages(own) {
		if !bytes.Equal(cached[p], own[p]) {
			t.Errorf("%s: the cached sidebar differs from the one drawn for the page", p)
		}
	}
}
