package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/report"
	"github.com/funnel-report/funnel/internal/site"

	"github.com/funnel-report/funnel/internal/testproject"
)

// A staged build hands out the pages asked for first, then the other
// pages, then (its Result) the downloads and the data page; it ends on
// exactly the files of a build in one go, and every changed path is
// announced by exactly one stage.
func TestBuildStagedEndsOnTheSameSite(t *testing.T) {
	dir := testproject.CopyExample(t)
	staged := NewBuilder(Options{Source: dir})
	t.Cleanup(staged.Close)
	mustBuild(t, staged)
	csv, err := os.ReadFile(filepath.Join(dir, "data", "funnel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct{ rel, data string }{
		{"data/funnel.csv", strings.Replace(string(csv), "2025-Q4,partners,Сибирь,1358,", "2025-Q4,partners,Сибирь,1400,", 1)},
		{"templates/partials/footer.html", `<footer class="site-footer">v1</footer>`},
		{"data/funnel.csv", string(csv)},
		{"content/periods/2025-Q3.md", "---\ntitle: Третий квартал\n---\nТолько текст.\n"},
	}
	first := []string{"index.html", "data/index.html", "no/such/page.html"}
	for _, e := range edits {
		writeFile(t, dir, e.rel, e.data)
		staged.Invalidate(e.rel)
		var stages []Stage
		got, err := staged.BuildStaged(first, func(s Stage) { stages = append(stages, s) })
		if err != nil {
			t.Fatalf("after editing %s: %v", e.rel, err)
		}
		fresh := NewBuilder(Options{Source: dir})
		want := mustBuild(t, fresh)
		if len(got.Files) != len(want.Files) {
			t.Fatalf("after editing %s: %d files staged, %d fresh", e.rel, len(got.Files), len(want.Files))
		}
		for i := range want.Files {
			if got.Files[i].Path != want.Files[i].Path || !site.Equal(got.Files[i], want.Files[i]) {
				t.Errorf("after editing %s: file %d is %s, want %s as built fresh", e.rel, i, got.Files[i].Path, want.Files[i].Path)
			}
		}
		fresh.Close()
		if len(stages) != 2 {
			t.Fatalf("after editing %s: %d stages handed out, want 2 (the open page, the other pages)", e.rel, len(stages))
		}
		checkStages(t, e.rel, stages, got)
	}
}

func checkStages(t *testing.T, edit string, stages []Stage, r *Result) {
	t.Helper()
	paths := func(fs []site.File) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Path)
		}
		return out
	}
	one := paths(stages[0].Files)
	if !slices.Contains(one, "index.html") || len(one) > len(r.Files)-len(r.Site.Pages)+1 {
		t.Errorf("after editing %s: first stage %v, want the home page and the assets only", edit, one)
	}
	dl := []string{r.Site.Data.Path, export.JSONPath}
	for _, tb := range export.Tables() {
		dl = append(dl, tb.Path)
	}
	for _, p := range dl {
		for i, s := range stages {
			if slices.Contains(paths(s.Files), p) || !slices.Contains(s.Pending, p) {
				t.Errorf("after editing %s: stage %d has %s ready (or not pending) before the downloads are made", edit, i, p)
			}
		}
	}
	for _, p := range r.Site.Pages {
		if p.Kind != report.KindData && !slices.Contains(paths(stages[1].Files), p.Path) {
			t.Errorf("after editing %s: second stage lacks page %s", edit, p.Path)
		}
	}
	var announced []string
	for _, s := range stages {
		announced = append(announced, s.Changed...)
	}
	announced = append(announced, r.Fresh...)
	slices.Sort(announced)
	if !slices.Equal(announced, r.Changed) {
		t.Errorf("after editing %s: the stages announced %v, the build changed %v", edit, announced, r.Changed)
	}
}

// A staged build that fails after handing out a stage returns the error;
// the last good build stays the reference of the next one.
func TestBuildStagedFailsAfterAStage(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	good := mustBuild(t, b)
	writeFile(t, dir, "templates/period.html", `{{ define "x" }}{{ end }}`) // period pages fail
	b.Invalidate("templates/period.html")
	var stages []Stage
	if _, err := b.BuildStaged([]string{"index.html"}, func(s Stage) { stages = append(stages, s) }); err == nil || len(stages) != 1 {
		t.Fatalf("broken period template: %d stages, error %v; want the home page's stage, then an error", len(stages), err)
	}
	if err := os.Remove(filepath.Join(dir, "templates", "period.html")); err != nil {
		t.Fatal(err)
	}
	b.Invalidate("templates/period.html")
	r, err := b.BuildStaged([]string{"index.html"}, func(Stage) {})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changed) != 0 || len(r.Files) != len(good.Files) {
		t.Errorf("template removed again: changed %v since the last good build, want nothing", r.Changed)
	}
}
