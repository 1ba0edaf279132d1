package build

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/funnel-report/funnel/internal/dataset"
	"github.com/funnel-report/funnel/internal/testproject"
)

// TestRunKeepsNoPageInMemory: a build hands each page to disk as it is
// drawn, so its result holds paths, not pages; the site written is the
// same as a render held in memory, and no page folder is left behind.
func TestRunKeepsNoPageInMemory(t *testing.T) {
	src := testproject.CopyExample(t) // a build keeps its spare in the project
	work := t.TempDir()
	out := filepath.Join(work, "public")
	r, err := Run(Options{Source: src, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	mem, err := Load(Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mem.Close)
	if err = Render(Options{Source: src}, mem); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range mem.Files {
		if strings.HasSuffix(f.Path, ".html") {
			want[f.Path] = f.Data
		}
	}
	pages := 0
	for _, f := range r.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		pages++
		if f.Data != nil || f.Src == "" {
			t.Errorf("%s: held in memory (%d bytes), not on disk", f.Path, len(f.Data))
			continue
		}
		got, rerr := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if rerr != nil {
			t.Fatal(rerr)
		}
		if !bytes.Equal(got, want[f.Path]) || f.Size != int64(len(got)) {
			t.Errorf("%s: %d bytes written (size %d), the render in memory has %d", f.Path, len(got), f.Size, len(want[f.Path]))
		}
	}
	if pages != len(r.Site.Pages) || pages != len(want) {
		t.Errorf("%d pages written, site has %d, render in memory %d", pages, len(r.Site.Pages), len(want))
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("%s left beside the site", e.Name())
		}
	}
}

// A build keeps the site it replaced in the project's .funnel-cache/spare
// and the next build writes into it; nothing is left beside the output
// (a folder there may lie in a web root), and each build's site is whole.
func TestRunKeepsTheSpareInTheCache(t *testing.T) {
	src := testproject.CopyExample(t)
	out := filepath.Join(t.TempDir(), "public")
	var first map[string]string
	for i := range 3 {
		if _, err := Run(Options{Source: src, Out: out}); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			got[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = got
		} else if len(got) != len(first) {
			t.Errorf("build %d wrote %d files, the first %d", i+1, len(got), len(first))
		} else {
			for p, b := range first {
				if got[p] != b {
					t.Errorf("build %d: %s differs from the first build's", i+1, p)
				}
			}
		}
		entries, _ := os.ReadDir(filepath.Dir(out))
		if len(entries) != 1 {
			t.Errorf("build %d left beside the output: %v", i+1, entries)
		}
		_, err = os.Stat(filepath.Join(src, SpareDir, ".funnel-site"))
		if spare := err == nil; spare != (i > 0) {
			t.Errorf("after build %d the spare exists = %v", i+1, spare)
		}
	}
}

// LoadGCPercent holds only while the data loads: Run gives the
// collector's setting back, whether the load succeeds or fails.
func TestRunRestoresTheGCPercent(t *testing.T) {
	before := debug.SetGCPercent(42)
	defer debug.SetGCPercent(before)
	src := testproject.CopyExample(t) // a build keeps its spare in the project
	if _, err := Run(Options{Source: src, Out: filepath.Join(t.TempDir(), "public"), LoadGCPercent: 100}); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(42); got != 42 {
		t.Errorf("after a build GOGC is %d, want 42", got)
	}
	if _, err := Run(Options{Source: filepath.Join(t.TempDir(), "none"), LoadGCPercent: 100}); err == nil {
		t.Fatal("a missing project built")
	}
	if got := debug.SetGCPercent(42); got != 42 {
		t.Errorf("after a failed build GOGC is %d, want 42", got)
	}
}

// ShedTable drops the table's values after the analysis, not the site:
// the pages are the same with or without.
func TestRunShedTable(t *testing.T) {
	src := testproject.CopyExample(t) // a build keeps its spare in the project
	full, err := Run(Options{Source: src, Out: filepath.Join(t.TempDir(), "public")})
	if err != nil {
		t.Fatal(err)
	}
	lean, err := Run(Options{Source: src, Out: filepath.Join(t.TempDir(), "public"), ShedTable: true})
	if err != nil {
		t.Fatal(err)
	}
	p, m := full.Model.Latest, full.Model.Steps[0].ID
	if _, ok := full.Table.Value(p, dataset.All, m); !ok {
		t.Fatalf("the full table has no %s %s", p, m)
	}
	if v, ok := lean.Table.Value(p, dataset.All, m); ok {
		t.Errorf("the shed table still has %s %s = %v", p, m, v)
	}
	if len(full.Files) != len(lean.Files) {
		t.Fatalf("%d files, shed %d", len(full.Files), len(lean.Files))
	}
	for i := range full.Files {
		if !bytes.Equal(fileBytes(t, full.Files[i]), fileBytes(t, lean.Files[i])) {
			t.Errorf("%s differs", full.Files[i].Path)
		}
	}
}
