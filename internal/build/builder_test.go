package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/export"
	"github.com/funnel-report/funnel/internal/site"

	"github.com/funnel-report/funnel/internal/testproject"
)

func writeFile(t testing.TB, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustBuild(t *testing.T, b *Builder) *Result {
	t.Helper()
	r, err := b.Build()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return r
}

func fileData(t *testing.T, r *Result, p string) string {
	t.Helper()
	for _, f := range r.Files {
		if f.Path == p {
			return string(f.Data)
		}
	}
	t.Fatalf("no output file %s", p)
	return ""
}

// sameExport reports whether two builds share one encoding of the JSON
// export (the same streamed file, not just an equal one): the model was
// not exported again.
func sameExport(t *testing.T, a, b *Result) bool {
	t.Helper()
	get := func(r *Result) string {
		for _, f := range r.Files {
			if f.Path == export.JSONPath {
				if f.Src == "" || f.Data != nil {
					t.Errorf("%s is held in memory, not streamed to disk", f.Path)
				}
				return f.Src
			}
		}
		t.Fatalf("no output file %s", export.JSONPath)
		return ""
	}
	x, y := get(a), get(b)
	return x != "" && x == y
}

func TestScopeOf(t *testing.T) {
	tests := []struct {
		rel  string
		want Scope
	}{
		{"content/_index.md", ScopeContent},
		{"content/periods/2025-Q3.md", ScopeContent},
		{"content", ScopeContent},
		{"templates/partials/footer.html", ScopeTemplates},
		{"themes/corp/static/logo.svg", ScopeTemplates},
		{"static/logo.png", ScopeTemplates},
		{"funnel.yaml", ScopeData},
		{"data/funnel.csv", ScopeData},
		{"exports/crm.csv", ScopeData}, // a configured source anywhere
		{"contents.md", ScopeData},     // not the content folder
		{"./content/x.md", ScopeContent},
	}
	for _, tt := range tests {
		if got := ScopeOf(tt.rel); got != tt.want {
			t.Errorf("ScopeOf(%q) = %s, want %s", tt.rel, got, tt.want)
		}
	}
}

func TestBuilderRedoesOnlyWhatChanged(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)

	first := mustBuild(t, b)
	if first.Redone != ScopeData || len(first.Changed) != len(first.Files) {
		t.Fatalf("first build: redone %s, %d of %d files changed; want data, all", first.Redone, len(first.Changed), len(first.Files))
	}

	idle := mustBuild(t, b)
	if idle.Redone != ScopeNone || len(idle.Changed) != 0 || idle.Model != first.Model {
		t.Fatalf("build with nothing invalidated: redone %s, changed %v", idle.Redone, idle.Changed)
	}

	// Commentary: the model is reused (same pointer: nothing was re-read or
	// re-analysed) and only the home page changes.
	writeFile(t, dir, "content/_index.md", "---\ntitle: Обзор\n---\nНовый комментарий консультанта.\n")
	b.Invalidate("content/_index.md")
	r := mustBuild(t, b)
	if r.Redone != ScopeContent || r.Model != first.Model || r.Table != first.Table {
		t.Errorf("commentary edit: redone %s, model reused %v; want content, true", r.Redone, r.Model == first.Model)
	}
	if !slices.Equal(r.Changed, []string{"index.html"}) || r.Rendered != 1 {
		t.Errorf("commentary edit changed %v rendering %d pages, want [index.html], 1", r.Changed, r.Rendered)
	}
	if !strings.Contains(fileData(t, r, "index.html"), "Новый комментарий консультанта.") {
		t.Error("home page lacks the new commentary")
	}
	if !sameExport(t, first, r) {
		t.Error("commentary edit: the model was exported again")
	}

	// A template override: templates parsed again, model still reused,
	// every page changes.
	writeFile(t, dir, "templates/partials/footer.html", `<footer class="site-footer">ACME footer</footer>`)
	b.Invalidate("templates/partials/footer.html")
	r = mustBuild(t, b)
	if r.Redone != ScopeTemplates || r.Model != first.Model {
		t.Errorf("template edit: redone %s, model reused %v; want templates, true", r.Redone, r.Model == first.Model)
	}
	if !sameExport(t, first, r) {
		t.Error("template edit: the model was exported again")
	}
	for _, p := range first.Site.Pages {
		if !slices.Contains(r.Changed, p.Path) || !strings.Contains(fileData(t, r, p.Path), "ACME footer") {
			t.Errorf("template edit: page %s not re-rendered with the new footer", p.Path)
		}
	}

	// Data: read and analysed again.
	csv := filepath.Join(dir, "data", "funnel.csv")
	src, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "data/funnel.csv", strings.Replace(string(src), "2024-Q1,web,Центр,5345,", "2024-Q1,web,Центр,5346,", 1))
	b.Invalidate("data/funnel.csv")
	r = mustBuild(t, b)
	if r.Redone != ScopeData || r.Model == first.Model {
		t.Errorf("data edit: redone %s, model reused %v; want data, false", r.Redone, r.Model == first.Model)
	}
	if sameExport(t, first, r) {
		t.Error("data edit: the export of the old model was kept")
	}
}

func TestBuilderRetriesAFailedLoad(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	mustBuild(t, b)

	csv := filepath.Join(dir, "data", "funnel.csv")
	good, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "data/funnel.csv", strings.Replace(string(good), "5345", "5x45", 1))
	b.Invalidate("data/funnel.csv")
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "funnel.csv:2") {
		t.Fatalf("broken CSV: err = %v, want one naming data/funnel.csv:2", err)
	}
	// A commentary edit while the data is broken must not hide the error
	// behind the stale model.
	b.Invalidate("content/_index.md")
	if _, err := b.Build(); err == nil {
		t.Fatal("build after an unrelated edit succeeded while the CSV is still broken")
	}
	writeFile(t, dir, "data/funnel.csv", string(good))
	b.Invalidate("data/funnel.csv")
	if r := mustBuild(t, b); r.Redone != ScopeData {
		t.Errorf("recovery redone %s, want data", r.Redone)
	}
}

func TestBuilderRetriesAFailedTemplate(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	first := mustBuild(t, b)

	writeFile(t, dir, "templates/partials/footer.html", `<footer>{{ .Nope </footer>`)
	b.Invalidate("templates/partials/footer.html")
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "footer.html") {
		t.Fatalf("broken template: err = %v, want one naming footer.html", err)
	}
	b.Invalidate("content/_index.md")
	if _, err := b.Build(); err == nil {
		t.Fatal("build after a commentary edit succeeded while the template is still broken")
	}
	writeFile(t, dir, "templates/partials/footer.html", `<footer>fixed</footer>`)
	b.Invalidate("templates/partials/footer.html")
	r := mustBuild(t, b)
	if r.Model != first.Model {
		t.Error("a template fix re-analysed the data")
	}
}

// After any sequence of edits, what a Builder produces incrementally is
// byte for byte what a fresh build of the same project produces.
func TestBuilderIncrementalEqualsFresh(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	mustBuild(t, b)
	csv, err := os.ReadFile(filepath.Join(dir, "data", "funnel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct{ rel, data string }{
		{"content/_index.md", "---\ntitle: Обзор\n---\nПервая правка.\n"},
		{"templates/partials/footer.html", `<footer class="site-footer">v1</footer>`},
		{"content/periods/2025-Q3.md", "---\ntitle: III квартал\n---\nПро третий квартал.\n"},
		{"data/funnel.csv", strings.Replace(string(csv), "2025-Q4,partners,Сибирь,1358,", "2025-Q4,partners,Сибирь,1400,", 1)},
		{"content/_index.md", "---\ntitle: Обзор\n---\nВторая правка.\n"},
		{"static/img/logo.svg", "<svg/>"},
		{"content/periods/2025-Q3.md", "---\ntitle: III квартал\n---\nТолько текст.\n"},
		{"content/periods/2025-Q3.md", "---\ntitle: Третий квартал\n---\nТолько текст.\n"},
		{"content/periods/2024-Q2.md", "---\ntitle: II квартал 2024\n---\nНовый файл.\n"},
	}
	for _, e := range edits {
		writeFile(t, dir, e.rel, e.data)
		b.Invalidate(e.rel)
		got := mustBuild(t, b)
		fresh := NewBuilder(Options{Source: dir})
		want := mustBuild(t, fresh)
		if len(got.Files) != len(want.Files) {
			t.Fatalf("after editing %s: %d files incrementally, %d fresh", e.rel, len(got.Files), len(want.Files))
		}
		for i := range want.Files {
			if got.Files[i].Path != want.Files[i].Path || !site.Equal(got.Files[i], want.Files[i]) {
				t.Errorf("after editing %s: %s differs from a fresh build", e.rel, want.Files[i].Path)
			}
		}
		fresh.Close()
	}
}

// Only commentary text changed: only the pages showing it are rendered.
// Anything that can show on other pages (front matter, files added or
// removed) renders everything.
func TestBuilderRendersOnlyEditedText(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	all := len(mustBuild(t, b).Site.Pages)
	tests := []struct {
		name, rel, data string // data "" removes the file
		rendered        int
		changed         []string
	}{
		{"text of a period", "content/periods/2025-Q3.md", "---\ntitle: III квартал 2025\n---\nНовый текст.\n", 1, []string{"periods/2025-q3/index.html"}},
		{"same text again", "content/periods/2025-Q3.md", "---\ntitle: III квартал 2025\n---\nНовый текст.\n", 0, nil},
		{"front matter", "content/periods/2025-Q3.md", "---\ntitle: Другой заголовок\n---\nНовый текст.\n", all, nil},
		{"new file", "content/periods/2024-Q1.md", "---\ntitle: I квартал 2024\n---\nТекст.\n", all, nil},
		{"removed file", "content/periods/2024-Q1.md", "", all, nil},
		{"text of the home page", "content/_index.md", "---\ntitle: Обзор\n---\nКоротко.\n", 1, []string{"index.html"}},
	}
	for _, tt := range tests {
		if tt.data == "" {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(tt.rel))); err != nil {
				t.Fatal(err)
			}
		} else {
			writeFile(t, dir, tt.rel, tt.data)
		}
		b.Invalidate(tt.rel)
		r := mustBuild(t, b)
		if r.Rendered != tt.rendered {
			t.Errorf("%s: rendered %d pages, want %d", tt.name, r.Rendered, tt.rendered)
		}
		if tt.changed != nil && !slices.Equal(r.Changed, tt.changed) {
			t.Errorf("%s: changed %v, want %v", tt.name, r.Changed, tt.changed)
		}
	}
}

// A text edit whose page fails to render is an error; the next edit is
// measured against the last good build, not the failed one.
func TestBuilderRecoversFromAFailedTextEdit(t *testing.T) {
	dir := testproject.CopyExample(t)
	// A footer that fails on pages whose commentary is long.
	writeFile(t, dir, "templates/partials/footer.html",
		`<footer>{{ with .Page.Doc }}{{ if gt (len .Body) 5000 }}{{ index $.Page.Crumbs 99 }}{{ end }}{{ end }}</footer>`)
	writeFile(t, dir, "content/periods/2025-Q3.md", "---\ntitle: III квартал\n---\nКоротко.\n")
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	good := mustBuild(t, b)

	writeFile(t, dir, "content/periods/2025-Q3.md", "---\ntitle: III квартал\n---\n"+strings.Repeat("Длинно. ", 500)+"\n")
	b.Invalidate("content/periods/2025-Q3.md")
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "periods/2025-q3") {
		t.Fatalf("long text: err = %v, want the period page's render error", err)
	}

	// Back to the last good text: nothing to render, the good site stands.
	writeFile(t, dir, "content/periods/2025-Q3.md", "---\ntitle: III квартал\n---\nКоротко.\n")
	b.Invalidate("content/periods/2025-Q3.md")
	r := mustBuild(t, b)
	if r.Rendered != 0 || len(r.Changed) != 0 {
		t.Errorf("reverted text: rendered %d, changed %v; want 0, none", r.Rendered, r.Changed)
	}
	if fileData(t, r, "periods/2025-q3/index.html") != fileData(t, good, "periods/2025-q3/index.html") {
		t.Error("the page differs from the last good build")
	}
}

// The downloads the served site points at stay on disk however many data
// edits after it load but fail to render: they are deleted only once a
// newer site is published.
func TestBuilderKeepsThePublishedDownloads(t *testing.T) {
	dir := testproject.CopyExample(t)
	b := NewBuilder(Options{Source: dir})
	t.Cleanup(b.Close)
	good := mustBuild(t, b)
	var srcs []string
	for _, f := range good.Files {
		if f.Src != "" {
			srcs = append(srcs, f.Src)
		}
	}
	if len(srcs) == 0 {
		t.Fatal("no streamed downloads in the build")
	}
	// A footer that fails when drawn: every later load renders nothing.
	writeFile(t, dir, "templates/partials/footer.html", `<footer>{{ index .M.Steps 99 }}</footer>`)
	for range 3 {
		b.Invalidate("data/funnel.csv", "templates/partials/footer.html")
		if _, err := b.Build(); err == nil {
			t.Fatal("a footer indexing step 99 rendered")
		}
	}
	b.releasing.Wait()
	for _, s := range srcs {
		if _, err := os.Stat(s); err != nil {
			t.Errorf("the served site's download is gone: %v", err)
		}
	}
	// Once a new site is published, the old downloads go.
	writeFile(t, dir, "templates/partials/footer.html", `<footer>fixed</footer>`)
	b.Invalidate("data/funnel.csv", "templates/partials/footer.html")
	mustBuild(t, b)
	b.releasing.Wait()
	for _, s := range srcs {
		if _, err := os.Stat(s); err == nil {
			t.Errorf("%s outlived the site that pointed at it", s)
		}
	}
}
